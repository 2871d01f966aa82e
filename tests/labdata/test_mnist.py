"""load_mnist on the embedded digits, on a named directory, and on Debian's Fashion-MNIST."""
from pathlib import Path

import numpy as np
import pytest

from labdata import DATASETS, DataError, load_mnist, write_idx
from labdata.datasets import FASHION_MNIST


def test_embedded_default_is_an_8000_2000_split_of_real_digits():
    (x, t), (x_test, t_test) = load_mnist()
    assert x.shape == (8000, 784) and x_test.shape == (2000, 784)
    assert x.dtype == np.float32 and t.dtype == np.uint8
    assert 0.0 <= x.min() and x.max() == 1.0
    assert sorted(np.unique(t_test)) == list(range(10))
    # every class is represented in the test split about as in the whole set
    assert np.bincount(t_test, minlength=10).min() >= 150


def test_the_split_is_always_the_same():
    (_, t1), (_, u1) = load_mnist()
    (_, t2), (_, u2) = load_mnist()
    assert np.array_equal(t1, t2) and np.array_equal(u1, u2)
    assert t1[:10].tolist() == load_mnist()[0][1][:10].tolist()


def test_unnormalized_images_keep_the_raw_bytes():
    (x, _), _ = load_mnist(normalize=False)
    (xn, _), _ = load_mnist(normalize=True)
    assert x.dtype == np.uint8
    assert np.array_equal(x.astype(np.float32) / 255, xn)


def test_unflattened_images_have_the_books_channel_axis():
    (x, _), (x_test, _) = load_mnist(flatten=False)
    assert x.shape == (8000, 1, 28, 28) and x_test.shape == (2000, 1, 28, 28)


def test_one_hot_labels_match_the_indices():
    (_, t), _ = load_mnist()
    (_, t_hot), _ = load_mnist(one_hot_label=True)
    assert t_hot.shape == (8000, 10)
    assert np.array_equal(t_hot.argmax(axis=1), t)
    assert np.all(t_hot.sum(axis=1) == 1)


def test_float64_on_request():
    (x, _), _ = load_mnist(dtype=np.float64)
    assert x.dtype == np.float64


def test_unknown_data_set_is_one_clear_line():
    with pytest.raises(DataError, match="unknown data set 'mnsit'; choose one of mnist-10k, mnist, fashion-mnist"):
        load_mnist(dataset="mnsit")


def test_named_directory_without_the_files_is_not_searched_further(tmp_path):
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte.gz of mnist not found in .*"):
        load_mnist(dataset="mnist", data_dir=tmp_path)


def test_environment_variable_names_the_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKPROP_LAB_MNIST_DIR", str(tmp_path))
    with pytest.raises(DataError, match=f"not found in {tmp_path}$"):
        load_mnist(dataset="mnist")


def test_a_file_with_the_wrong_checksum_is_refused(tmp_path):
    # Fashion-MNIST's file names, but other content: caught by the checksum, not by luck
    for f in FASHION_MNIST.files:
        write_idx(tmp_path / f.name, np.zeros((3, 28, 28) if "images" in f.name else 3, np.uint8))
    with pytest.raises(DataError, match="SHA-256 of its content is .* expected .*belongs to another data set"):
        load_mnist(dataset="fashion-mnist", data_dir=tmp_path)


def test_unzipped_files_are_accepted(tmp_path):
    source = Path(DATASETS["mnist-10k"].system_dirs[0])
    for f in DATASETS["mnist-10k"].files:
        import gzip
        (tmp_path / f.name.removesuffix(".gz")).write_bytes(gzip.decompress((source / f.name).read_bytes()))
    (x, _), _ = load_mnist(data_dir=tmp_path)
    assert x.shape == (8000, 784)


def test_mismatched_image_and_label_counts(tmp_path, monkeypatch):
    from labdata.datasets import Dataset, IdxFile
    from labdata.idx import sha256_of_content
    images, labels = tmp_path / "i.idx", tmp_path / "l.idx"
    write_idx(images, np.zeros((4, 2, 2), np.uint8))
    write_idx(labels, np.zeros(3, np.uint8))
    spec = Dataset("odd", IdxFile("i.idx", sha256_of_content(images.read_bytes())),
                   IdxFile("l.idx", sha256_of_content(labels.read_bytes())), train_size=2)
    monkeypatch.setitem(DATASETS, "odd", spec)
    with pytest.raises(DataError, match="i.idx has 4 images but l.idx has 3 labels"):
        load_mnist(dataset="odd", data_dir=tmp_path)


@pytest.mark.skipif(not FASHION_MNIST.system_dirs[0].is_dir(),
                    reason="Debian's dataset-fashion-mnist is not installed")
def test_fashion_mnist_is_found_where_debian_puts_it(tmp_path):
    (x, t), (x_test, t_test) = load_mnist(dataset="fashion-mnist", cache_dir=tmp_path, download=False)
    assert x.shape == (60000, 784) and x_test.shape == (10000, 784)
    assert np.bincount(t).tolist() == [6000] * 10
    assert not any(tmp_path.iterdir())
