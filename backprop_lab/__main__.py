"""``python -m backprop_lab`` is the ``backprop-lab`` command."""
from backprop_lab.cli import entry

entry()
