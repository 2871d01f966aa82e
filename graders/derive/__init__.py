"""SymPy derivations and proofs of every layer's gradient; the only part of graders that imports SymPy.

Run `backprop-lab derive` (or `python -m graders.derive`) to prove and list every theorem,
`--check` to fail on any failed proof or stale generated file, `--write` to regenerate
graders/oracles/_generated/ and docs/derivations.md.
"""
