"""Child side: a loading unit's source as the loader runs it. IPython's magics are blanked (line numbers kept),
and a unit that hung or killed its process is run again with its demo code left out."""
from __future__ import annotations

import ast


def definitions_only(tree: ast.Module) -> ast.Module:
    """Imports, classes, functions and plain assignments: what a module defines, without its demo code."""
    keep = (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Assign,
            ast.AnnAssign)
    body = [node for node in tree.body if isinstance(node, keep) and not _calls_anything(node)
            or isinstance(node, (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef))]
    return ast.Module(body=body, type_ignores=[])


def _calls_anything(node: ast.AST) -> bool:
    if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    return any(isinstance(n, ast.Call) for n in ast.walk(node))


def drop_magics(source: str) -> str:
    """IPython magics and shell escapes (%..., !...) are not Python: blank them out, keeping line numbers."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())

