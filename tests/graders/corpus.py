"""The submission corpus under tests/fixtures, and the variants the grader tests make from it."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SUBMISSIONS = FIXTURES / "submissions"


def load_fixture(name: str) -> ModuleType:
    """A module from tests/fixtures, by file (tests/ is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module

TEXTBOOK = SUBMISSIONS / "textbook.py"  # the correct base of the corpus


def _block(source: str, start: str, end: str | None = None) -> str:
    """The lines of ``source`` from the one starting ``start`` up to the one starting ``end``."""
    begin = source.index(start)
    return source[begin:source.index(end) if end else len(source)].rstrip() + "\n"


def write_book_layout(root: Path) -> Path:
    """textbook.py split into the book's files: common/{functions,gradient,layers}.py, ch05/{layer_naive,
    two_layer_net}.py, importing each other the way the book's do (sys.path.append(os.pardir), star imports)."""
    source = TEXTBOOK.read_text()
    files = {
        "common/__init__.py": "",
        "common/functions.py": "import numpy as np\n\n\n" + _block(source, "def softmax", "def numerical_gradient"),
        "common/gradient.py": "import numpy as np\n\n\n" + _block(source, "def numerical_gradient", "class MulLayer"),
        "common/layers.py": "import numpy as np\nfrom common.functions import *\n\n\n"
                            + _block(source, "class Relu", "class TwoLayerNet"),
        "ch05/layer_naive.py": _block(source, "class MulLayer", "class Relu"),
        "ch05/two_layer_net.py": "import sys, os\nsys.path.append(os.pardir)\nimport numpy as np\n"
                                 "from collections import OrderedDict\nfrom common.layers import *\n"
                                 "from common.gradient import numerical_gradient\n\n\n"
                                 + _block(source, "class TwoLayerNet"),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def write_notebook(path: Path) -> Path:
    """textbook.py as a student's notebook: magics and a shell line, the code in cells, a print,
    and a last cell that raises (an unfinished exercise) after everything graded is defined."""
    source = TEXTBOOK.read_text()

    def code(text: str) -> dict:
        return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                "source": text.splitlines(True)}

    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# 5장 오차역전파법\n"]},
             code("%matplotlib inline\n!pip list | grep numpy\nimport numpy as np\nfrom collections import OrderedDict\n"),
             code(_block(source, "def softmax", "class MulLayer")),
             code(_block(source, "class MulLayer", "class Relu")),
             code(_block(source, "class Relu", "class TwoLayerNet")),
             code(_block(source, "class TwoLayerNet")),
             code("net = TwoLayerNet(784, 50, 10)\nprint(net.params['W1'].shape)\n"),
             code("# 아직 못 푼 문제\nraise NotImplementedError('exercise 5.8')\n")]
    path.write_text(json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3", "language": "python",
                                                                            "display_name": "Python 3"}},
                                "nbformat": 4, "nbformat_minor": 5}, ensure_ascii=False))
    return path
