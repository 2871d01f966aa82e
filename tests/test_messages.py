"""One catalogue per language: graders/messages/en.py and ko.py hold the same keys with the same fields, every key the
code asks for exists, and no Korean sentence hides elsewhere in the code (bug classes and user errors carry their two
lines where they are defined; the assignment's teaching text lives with its part)."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from graders.checks import catalog
from graders.messages import CATALOGUES

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graders", "assignments", "backprop_lab", "labdata")
HANGUL = re.compile("[\uac00-\ud7a3]")
KOREAN_HOMES = {"graders/messages/ko.py", "assignments/parts.py"}   # the catalogue, and the notebook's own text
PAIRED = {"Bug", "Invalid"}  # constructors that take an English and a Korean line side by side


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None} | \
        ({"%s"} if "%s" in template else set())


def _sources() -> list[Path]:
    return [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]


def test_both_catalogues_have_the_same_keys_with_the_same_fields():
    en, ko = CATALOGUES["en"], CATALOGUES["ko"]
    assert sorted(set(en) ^ set(ko)) == []
    assert {key: (_fields(en[key]), _fields(ko[key])) for key in en if _fields(en[key]) != _fields(ko[key])} == {}


def test_every_bug_class_speaks_both_languages():
    for bug in catalog().values():
        words = re.sub(r"\{\w+\}", "", bug.ko)  # a message that is its fields alone ("{error}") has no words
        assert bug.en and bug.ko and (HANGUL.search(bug.ko) or not re.search(r"[A-Za-z]", words)), bug.id
        assert _fields(bug.ko) <= _fields(bug.en), bug.id  # Korean may say less, never ask for more


def test_every_key_the_code_asks_for_is_in_the_catalogue():
    asked = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("say", "label", "section") \
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                asked.append((node.func.id, node.args[1].value, f"{path.relative_to(ROOT)}:{node.lineno}"))
    assert len(asked) >= 40
    prefixes = {key.split(".")[0] for key in CATALOGUES["en"] if "." in key}
    missing = [where for kind, key, where in asked
               if (key not in prefixes if kind == "section" else key not in CATALOGUES["en"])]
    assert missing == []


def _korean_outside_its_homes(tree: ast.AST) -> list[int]:
    """Lines of Korean string constants that are not a paired line, a ko= argument (or a part of one named ``*_ko``),
    a docstring or a pattern."""
    allowed: set[int] = set()
    for node in ast.walk(tree):
        called = getattr(node.func, "id", None) or getattr(node.func, "attr", None) if isinstance(node, ast.Call) else None
        if called in PAIRED | {"compile"}:
            allowed |= {id(n) for arg in node.args for n in ast.walk(arg)}
        if isinstance(node, ast.keyword) and node.arg == "ko" or isinstance(node, ast.Assign) and any(
                getattr(t, "id", "").endswith("_ko") for t in node.targets):  # a ko= argument, or its parts
            allowed |= {id(n) for n in ast.walk(node.value)}
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node) is not None:
            allowed.add(id(node.body[0].value))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and HANGUL.search(node.value) and id(node) not in allowed]


def test_no_korean_sentence_lives_outside_the_catalogue():
    found = {}
    for path in _sources():
        name = str(path.relative_to(ROOT))
        if name not in KOREAN_HOMES:
            lines = _korean_outside_its_homes(ast.parse(path.read_text(encoding="utf-8")))
            if lines:
                found[name] = lines
    assert found == {}
