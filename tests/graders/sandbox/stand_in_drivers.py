"""A tiny driver module for the sandbox's own tests: the sandbox must not depend on the real drivers."""
import numpy as np


def call(namespace, arrays, params):
    """Call namespace[params["name"]] on the arrays in order; return its result as "out"."""
    result = namespace[params["name"]](*[arrays[k] for k in sorted(arrays)])
    return {"out": result}


def echo(namespace, arrays, params):
    return {"out": np.asarray(params.get("value", 1.0))}


DRIVERS = {"call": call, "echo": echo}
