"""The published JSON schemas (grading config, report) and their validators.

Validators are compiled on first use by fastjsonschema, in milliseconds; importing jsonschema costs about
a second (its format checkers build a grammar at import), which a check must not pay. A failure says
where and what in one line, in English and in Korean.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Callable

CONFIG = "grading-config.schema.json"
REPORT = "report.schema.json"


@dataclass
class Invalid(Exception):
    """A document that does not fit its schema: ``where`` (a dotted path, or "(top level)") and what, en and ko."""

    where: str
    en: str
    ko: str

    def __str__(self) -> str:
        return f"{self.where}: {self.en}"


def schema(name: str) -> dict[str, Any]:
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


@cache
def _validator(name: str) -> Callable[[Any], Any]:
    import fastjsonschema
    return fastjsonschema.compile(schema(name))


def validate(document: Any, name: str) -> None:
    """Raise Invalid when ``document`` does not fit schema ``name``."""
    import fastjsonschema
    try:
        _validator(name)(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise _explained(exc) from None


def _explained(exc: Any) -> Invalid:
    where = exc.name.removeprefix("data").lstrip(".") or "(top level)"
    rule, value = exc.rule, exc.value
    bound = exc.rule_definition
    if rule == "additionalProperties" and isinstance(value, dict):
        extra = sorted(set(value) - set(exc.definition.get("properties", {})))
        listed = ", ".join(repr(k) for k in extra)
        return Invalid(where, f"Additional properties are not allowed ({listed} unexpected)",
                       f"알 수 없는 설정입니다: {listed}")
    if rule == "type":
        kinds = " or ".join(bound if isinstance(bound, list) else [bound])
        return Invalid(where, f"{value!r} is not of type {kinds}", f"{value!r}: {kinds} 형이어야 합니다")
    if rule == "minimum":
        return Invalid(where, f"{value!r} is less than the minimum of {bound}", f"{value!r}: {bound} 이상이어야 합니다")
    if rule == "exclusiveMinimum":
        return Invalid(where, f"{value!r} must be greater than {bound}", f"{value!r}: {bound}보다 커야 합니다")
    if rule == "enum":
        choices = ", ".join(map(str, bound))
        return Invalid(where, f"{value!r} is not one of {choices}", f"{value!r}: 다음 중 하나여야 합니다: {choices}")
    message = exc.message.removeprefix(exc.name).strip()
    return Invalid(where, message, f"스키마에 맞지 않습니다: {message}")
