"""The chapter's computational graph: buying apples (and oranges) with 10% tax, forward and backward."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from reference.layers import AddLayer, MulLayer

APPLE, APPLE_NUM, ORANGE, ORANGE_NUM, TAX = 100, 2, 150, 3, 1.1


def buy_apples() -> dict[str, float]:
    """2 apples at 100 with tax 1.1: price 220; dapple 2.2, dapple_num 110, dtax 200."""
    apples, taxed = MulLayer(), MulLayer()
    price = taxed.forward(apples.forward(APPLE, APPLE_NUM), TAX)
    dapple_price, dtax = taxed.backward(1)
    dapple, dapple_num = apples.backward(dapple_price)
    return {"price": price, "dapple": dapple, "dapple_num": dapple_num, "dtax": dtax}


def buy_apples_oranges() -> dict[str, float]:
    """Plus 3 oranges at 150: price 715; dorange 3.3, dorange_num 165, dtax 650."""
    apples, oranges, total, taxed = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    subtotal = total.forward(apples.forward(APPLE, APPLE_NUM), oranges.forward(ORANGE, ORANGE_NUM))
    price = taxed.forward(subtotal, TAX)
    dsubtotal, dtax = taxed.backward(1)
    dapple_price, dorange_price = total.backward(dsubtotal)
    dapple, dapple_num = apples.backward(dapple_price)
    dorange, dorange_num = oranges.backward(dorange_price)
    return {"price": price, "dapple": dapple, "dapple_num": dapple_num,
            "dorange": dorange, "dorange_num": dorange_num, "dtax": dtax}


def _table(title: str, inputs: dict[str, float], result: dict[str, float]) -> Table:
    table = Table(title=title)
    for name in ("node", "value", "∂price/∂node"):
        table.add_column(name, justify="right" if name != "node" else "left")
    for name, value in inputs.items():
        table.add_row(name, f"{value:g}", f"{result['d' + name]:.4g}")
    table.add_row("price", f"{result['price']:.4g}", "1")
    return table


def print_graph(console: Console | None = None) -> None:
    """Print both examples: each input's value and the gradient of the price with respect to it."""
    console = console or Console()
    console.print(_table("2 apples, 10% tax", {"apple": APPLE, "apple_num": APPLE_NUM, "tax": TAX}, buy_apples()))
    console.print(_table("2 apples and 3 oranges, 10% tax",
                         {"apple": APPLE, "apple_num": APPLE_NUM, "orange": ORANGE, "orange_num": ORANGE_NUM,
                          "tax": TAX}, buy_apples_oranges()))
