"""MNIST-family data for backprop-lab: IDX files, the embedded 10k digits, MNIST and Fashion-MNIST.

Both ``reference`` (the trainer) and ``graders`` (the accuracy checks) read data
through this package, which depends on neither.
"""
from labdata.datasets import DATASETS, Dataset, IdxFile
from labdata.errors import DataError, LabError
from labdata.idx import read_idx, write_idx
from labdata.mnist import dataset_names, default_cache_dir, load_mnist

__all__ = ["DATASETS", "DataError", "Dataset", "LabError", "IdxFile", "dataset_names", "default_cache_dir",
           "load_mnist", "read_idx", "write_idx"]
