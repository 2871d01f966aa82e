"""`python -m graders.derive [--check] [--latex] [--write]`, the same as `backprop-lab derive`."""
import argparse
import sys

from graders.derive.cli import main

parser = argparse.ArgumentParser(prog="python -m graders.derive",
                                 description="Prove every layer's gradient with SymPy.")
parser.add_argument("--check", action="store_true",
                    help="exit non-zero if any theorem fails or a generated file is stale")
parser.add_argument("--latex", action="store_true", help="print statements as LaTeX")
parser.add_argument("--write", action="store_true", help="regenerate the oracles and docs/derivations.md")
args = parser.parse_args()
sys.exit(main(check=args.check, latex=args.latex, write=args.write))
