"""A tiny driver module for the sandbox's own tests: the sandbox must not depend on the real drivers."""
import time

import numpy as np

_progress = None


def set_progress(report):
    global _progress
    _progress = report


def call(namespace, arrays, params):
    """Call namespace[params["name"]] on the arrays in order; return its result as "out"."""
    result = namespace[params["name"]](*[arrays[k] for k in sorted(arrays)])
    return {"out": result}


def ticking(namespace, arrays, params):
    """A long probe: report each step, sleeping between them; stall after ``stall_after`` steps."""
    for step in range(params["steps"]):
        if step == params.get("stall_after"):
            time.sleep(60)
        time.sleep(params["sleep"])
        _progress(step)
    return {"out": np.asarray(params["steps"])}


DRIVERS = {"call": call, "ticking": ticking}
