"""``python -m backprop_lab`` is the ``backprop-lab`` command."""
import sys

from backprop_lab.cli import main

sys.exit(main())
