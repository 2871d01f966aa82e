"""Oracles, sandbox, checks, diagnoses and reports for chapter-5 submissions.

Importing this package is cheap: it never imports SymPy (derivations live in
``graders.derive`` and run only when proving or regenerating) and never imports
``reference`` (the oracles come from mathematics, not from the solution).
"""
