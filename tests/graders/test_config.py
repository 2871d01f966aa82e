"""The grading config: defaults, JSON and YAML, glob specificity, and one-line errors with the path of the bad value."""
from __future__ import annotations

import json

import jsonschema
import pytest

from graders.config import ConfigError, load_config, schema


def test_defaults():
    config = load_config()
    assert config.points_for("Relu.forward") == 1.0
    assert config.points_for("TwoLayerNet.gradient") == 2.0
    assert config.points_for("TwoLayerNet.gradient_numerical") == 2.0
    assert config.warnings_deduct is False
    assert config.limits.probe_seconds > 0


def test_the_schema_is_draft_2020_12_and_itself_valid():
    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema()["$schema"].endswith("2020-12/schema")


def test_json_and_the_most_specific_pattern_wins(tmp_path):
    path = tmp_path / "grading.json"
    path.write_text(json.dumps({"default_points": 0.5, "points": {"Affine.*": 2, "Affine.backward.*": 3,
                                                                   "Affine.backward.db": 4}}))
    config = load_config(path)
    assert config.points_for("Affine.forward") == 2
    assert config.points_for("Affine.backward.dW") == 3
    assert config.points_for("Affine.backward.db") == 4
    assert config.points_for("Relu.forward") == 0.5
    assert config.points_for("TwoLayerNet.gradient") == 2.0  # the shipped default still applies


def test_yaml_with_limits_and_warnings(tmp_path):
    path = tmp_path / "grading.yaml"
    path.write_text("points:\n  Relu.*: 5\nwarnings_deduct: true\nlimits:\n  probe_seconds: 3\n  processes: 16\n")
    config = load_config(path)
    assert config.points_for("Relu.backward") == 5
    assert config.warnings_deduct is True
    assert (config.limits.probe_seconds, config.limits.processes) == (3, 16)
    assert config.raw["points"]["Relu.*"] == 5


@pytest.mark.parametrize("name,text,message", [
    ("grading.yaml", "points:\n  Affine.*: -1\n", "grading.yaml: points.Affine.*: -1 is less than the minimum of 0"),
    ("grading.json", '{"point": {}}', "grading.json: (top level): Additional properties are not allowed"),
    ("grading.json", '{"limits": {"probe_seconds": "ten"}}', "grading.json: limits.probe_seconds: 'ten' is not of type"),
    ("grading.json", "{oops", "grading.json: not valid JSON"),
    ("grading.yaml", "points: [1, 2\n", "grading.yaml: not valid YAML"),
])
def test_invalid_configs_say_where_on_one_line(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.yaml")


def test_an_invalid_config_is_explained_in_korean_too(tmp_path):
    path = tmp_path / "grading.yaml"
    path.write_text("limits:\n  cpu_seconds: 0\nfoo: 1\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.text("ko") in ("grading.yaml: (top level): 알 수 없는 설정입니다: 'foo'",
                                       "grading.yaml: limits.cpu_seconds: 0: 1 이상이어야 합니다")
    path.write_text("limits:\n  cpu_seconds: 0\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.text("ko") == "grading.yaml: limits.cpu_seconds: 0: 1 이상이어야 합니다"
    assert str(caught.value) == "grading.yaml: limits.cpu_seconds: 0 is less than the minimum of 1"
