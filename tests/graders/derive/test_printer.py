"""The NumPy printer: whole-array names, `@` products, row and total sums, only the textbook's Heaviside convention."""
import pytest
import sympy as sp

from graders.derive.printer import to_numpy

x, dout = sp.symbols("x dout", real=True)


def test_heaviside_with_value_0_at_0_prints_as_a_strict_mask():
    assert to_numpy(dout * sp.Heaviside(x, 0)) == "dout*(x > 0)"


def test_sympy_default_heaviside_is_not_printed():
    with pytest.raises(ValueError):
        to_numpy(sp.Heaviside(x))


def test_matrix_products_print_with_the_matmul_operator():
    n, m = sp.symbols("n m", integer=True, positive=True)
    a, b = sp.MatrixSymbol("A", n, m), sp.MatrixSymbol("B", n, m)
    assert to_numpy(a.T * b) == "A.T @ B"


def test_transpose_times_ones_prints_as_a_column_sum():
    n, m = sp.symbols("n m", integer=True, positive=True)
    a = sp.MatrixSymbol("A", n, m)
    assert to_numpy(a.T * sp.OneMatrix(n, 1)) == "numpy.sum(A, axis=0)"


def test_a_sum_over_the_last_index_prints_as_a_row_sum():
    k, l, n = sp.symbols("k l n", integer=True)
    a = sp.IndexedBase("a")
    assert to_numpy(sp.Sum(a[n, l], (l, 0, k - 1))) == "numpy.sum(a, axis=-1, keepdims=True)"


def test_names_are_renamed():
    assert to_numpy(-dout * x**2, {"x": "out"}) == "-dout*out**2"
