"""The grading config: points per check and the sandbox's limits, from JSON or YAML.

Every document is validated against the shipped JSON Schema before it is used; an error
names the file, the path of the bad value and what is wrong with it, on one line.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from graders import schemas
from graders.sandbox import Limits
from labdata.errors import LabError

# The shipped defaults: one point a check, more for the full-size gradient, the chapter's summit.
DEFAULTS: dict[str, Any] = {"default_points": 1.0, "points": {"TwoLayerNet.gradient*": 2.0}, "warnings_deduct": False,
                           "exact_names": False}


class ConfigError(LabError):
    """A config file that cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class GradingConfig:
    default_points: float = 1.0
    points: Mapping[str, float] = field(default_factory=dict)
    warnings_deduct: bool = False
    exact_names: bool = False         # a near-name (ReLU for Relu) is graded as missing, not with a warning
    limits: Limits = Limits()
    raw: Mapping[str, Any] = field(default_factory=dict)

    def points_for(self, check_id: str) -> float:
        """The exact id's points, else the most specific matching glob's, else the default."""
        if check_id in self.points:
            return float(self.points[check_id])
        matches = [p for p in self.points if fnmatch.fnmatchcase(check_id, p)]
        if not matches:
            return float(self.default_points)
        return float(self.points[max(matches, key=lambda p: (len(p.rstrip("*?")), -p.count("*")))])


def _string_keys(value: Any) -> Any:
    """YAML reads `100: 0.9` with an integer key; JSON, and the schema, know only string keys."""
    if isinstance(value, dict):
        return {str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


def schema() -> dict[str, Any]:
    return schemas.schema(schemas.CONFIG)


def load_config(path: str | os.PathLike | None = None) -> GradingConfig:
    """The config in ``path`` (JSON, or YAML by extension) over the defaults; None gives the defaults."""
    if path is None:
        return config_from_document({}, "defaults")
    return config_from_document(read_document(path), Path(path).name)


def read_document(path: str | os.PathLike) -> dict[str, Any]:
    """The parsed file, not yet validated: JSON, or YAML by extension."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}", ko=f"{path}: 읽을 수 없습니다: {exc.strerror}") from None
    kind = "YAML" if path.suffix in (".yaml", ".yml") else "JSON"
    import yaml  # only for a config file: a plain check does not pay its import
    try:
        document = yaml.safe_load(text) if kind == "YAML" else json.loads(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        first = str(exc).splitlines()[0]
        raise ConfigError(f"{path.name}: not valid {kind}: {first}",
                          ko=f"{path.name}: 올바른 {kind}이(가) 아닙니다: {first}") from None
    if document is not None and not isinstance(document, dict):
        raise ConfigError(f"{path.name}: expected a mapping of settings at the top level",
                          ko=f"{path.name}: 맨 위 수준은 설정의 매핑이어야 합니다")
    return _string_keys(document or {})


def config_from_document(document: dict[str, Any], name: str = "config", *, validate: bool = True) -> GradingConfig:
    """A config from an already parsed document (as sent to another process or machine).

    An empty document (the defaults) and one validated before (``validate=False``) skip the schema.
    """
    if document and validate:
        try:
            schemas.validate(document, schemas.CONFIG)
        except schemas.Invalid as error:
            raise ConfigError(f"{name}: {error.where}: {error.en}", ko=f"{name}: {error.where}: {error.ko}") from None
    merged = {**DEFAULTS, **document, "points": {**DEFAULTS["points"], **document.get("points", {})}}
    limits = dataclasses.replace(Limits(), **document.get("limits", {}))
    return GradingConfig(float(merged["default_points"]), merged["points"], bool(merged["warnings_deduct"]),
                         bool(merged["exact_names"]), limits, merged)
