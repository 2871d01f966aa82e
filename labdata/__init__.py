"""MNIST-family data for backprop-lab: IDX files, the embedded 10k digits, MNIST and Fashion-MNIST.

Both ``reference`` (the trainer) and ``graders`` (the accuracy checks) read data
through this package, which depends on neither. Names are imported when first used: a
command that only needs ``LabError`` (every one of them) does not load the data code.
"""
from __future__ import annotations

import importlib

_HOMES = {"DATASETS": "datasets", "Dataset": "datasets", "IdxFile": "datasets", "DataError": "errors",
          "LabError": "errors", "read_idx": "idx", "write_idx": "idx", "dataset_names": "mnist",
          "default_cache_dir": "mnist", "load_mnist": "mnist"}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'labdata' has no attribute {name!r}")
    return getattr(importlib.import_module(f"labdata.{_HOMES[name]}"), name)
