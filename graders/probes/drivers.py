"""Drivers: the only grader code that runs inside the sandbox, next to the student's code.

Each driver instantiates the student's class or looks up the function, calls it on the
arrays it is given (already copies) and returns what came back, plus the input arrays
as they are afterwards (so the parent can see whether they were written to). Drivers
never compare or score: the process they run in is not to be trusted.

Signature: DRIVERS[name](namespace, arrays, params) -> {output name: value}.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from graders.components import PARAMETERS
from graders.probes import training
from graders.probes.namespace import lookup
from graders.probes.protocol import ERRORS, SPELLED
from graders.probes.training import set_progress  # noqa: F401  (the sandbox looks for it here)
from graders.textbook import attribute

Namespace = dict[str, Any]
Arrays = dict[str, np.ndarray]


def layer(ns: Namespace, arrays: Arrays, params: dict[str, Any]) -> dict[str, Any]:
    """``cls(*init)``, then each ``[method, argument names, output names]`` call in turn, then ``attrs`` (under the
    book's name or one students give it: which, crosses back under ``SPELLED``)."""
    values = _values(arrays, params)
    obj = lookup(ns, params["cls"])(*[values[a] for a in params.get("init", [])])
    outputs: dict[str, Any] = {}
    for method, args, names in params["calls"]:
        outputs.update(_unpack(getattr(obj, method)(*[values[a] for a in args]), names, method))
    spelled: dict[str, str] = {}
    for attr in params.get("attrs", []):
        outputs[attr], spelled[attr] = attribute(obj, attr)
    return outputs | _after(arrays) | {SPELLED: {k: v for k, v in spelled.items() if v}}


def function(ns: Namespace, arrays: Arrays, params: dict[str, Any]) -> dict[str, Any]:
    """``name(*args)``."""
    values = _values(arrays, params)
    result = lookup(ns, params["name"])(*[values[a] for a in params["args"]])
    return {"out": result} | _after(arrays)


def numerical_gradient(ns: Namespace, arrays: Arrays, params: dict[str, Any]) -> dict[str, Any]:
    """The student's numerical_gradient(f, x) on f(x) = sum(c x^3 + d x^2 + e x), whose gradient the parent knows."""
    c, d, e = arrays["c"], arrays["d"], arrays["e"]

    def f(x: np.ndarray) -> float:
        return float(np.sum(c * x ** 3 + d * x ** 2 + e * x))

    grad = lookup(ns, "numerical_gradient")(f, arrays["x"])
    return {"grad": grad} | _after(arrays)


def network(ns: Namespace, arrays: Arrays, params: dict[str, Any]) -> dict[str, Any]:
    """Build the student's TwoLayerNet, write the given parameters into its ``params`` in place
    (as SGD does), then call predict, loss, accuracy and gradient; record the order of backward calls."""
    input_size, hidden_size, output_size = params["sizes"]
    net = lookup(ns, "TwoLayerNet")(input_size, hidden_size, output_size)
    for key in PARAMETERS:
        net.params[key][...] = arrays[key]
    order = _record_backward_order(net)
    x, t = arrays["x"], arrays["t"]
    outputs: dict[str, Any] = {}
    errors: dict[str, BaseException] = {}
    for name, call in (("scores", lambda: net.predict(x)), ("loss", lambda: net.loss(x, t)),
                       ("accuracy", lambda: net.accuracy(x, t)), ("grads", lambda: net.gradient(x, t))):
        try:  # each call stands alone: a gradient that raises must not take predict's result with it
            outputs[name] = call()
        except Exception as exc:
            errors[name] = exc
    grads = outputs.pop("grads", None)
    if isinstance(grads, dict):
        outputs |= {f"grad_{key}": grads.get(key) for key in PARAMETERS}
    elif grads is not None:
        errors["grads"] = TypeError(f"gradient returned {type(grads).__name__}, expected a dict of W1, b1, W2, b2")
    if "grads" in errors:
        errors |= {f"grad_{key}": errors["grads"] for key in PARAMETERS}
    elif grads is None:
        outputs |= {f"grad_{key}": None for key in PARAMETERS}
    outputs["backward_order"] = np.array(order, dtype=np.int64)
    outputs["layer_count"] = len(getattr(net, "layers", None) or [])
    return outputs | {ERRORS: errors}


def _record_backward_order(net: Any) -> list[int]:
    """Wrap every layer's backward to log when it is called: layers by forward position, lastLayer as -1."""
    layers = getattr(net, "layers", None)
    positioned = list(enumerate(layers.values() if hasattr(layers, "values") else layers or []))
    if getattr(net, "lastLayer", None) is not None:
        positioned.append((-1, net.lastLayer))
    order: list[int] = []
    for position, obj in positioned:
        method = getattr(obj, "backward", None)
        if callable(method):
            setattr(obj, "backward", _logged(method, position, order))
    return order


def _logged(method: Callable, position: int, order: list[int]) -> Callable:
    def backward(*args: Any, **kwargs: Any) -> Any:
        order.append(position)
        return method(*args, **kwargs)
    return backward


def _values(arrays: Arrays, params: dict[str, Any]) -> dict[str, Any]:
    """The arrays, with those named in ``scalars`` as Python floats and ``ints`` as Python ints."""
    values: dict[str, Any] = dict(arrays)
    values |= {name: float(arrays[name]) for name in params.get("scalars", [])}
    return values


def _unpack(result: Any, names: list[str], method: str) -> dict[str, Any]:
    if len(names) == 1:
        return {names[0]: result}
    if result is None:
        return dict.fromkeys(names)
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        raise TypeError(f"{method} returned {type(result).__name__}, expected {len(names)} values ({', '.join(names)})")
    return dict(zip(names, result))


def _after(arrays: Arrays) -> dict[str, Any]:
    return {f"after_{name}": array for name, array in arrays.items()}


def script(ns: Namespace, arrays: Arrays, params: dict[str, Any]) -> dict[str, Any]:
    """One of the book's scripts (buy_apple_orange.py, gradient_check.py), run whole: what it printed."""
    from pathlib import Path

    from graders.sandbox.child_book import run_script
    return {"printed": run_script(Path(ns["__submission_root__"]), params["file"])}


DRIVERS: dict[str, Callable[[Namespace, Arrays, dict[str, Any]], dict[str, Any]]] = {
    "layer": layer, "function": function, "numerical_gradient": numerical_gradient, "network": network,
    "script": script,
    **training.DRIVERS,
}
