"""``backprop-lab gradescope OUT.zip``: a Gradescope autograder zip, laid out as Gradescope's spec asks.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once (as root, when it builds
the image) and ``run_autograder`` for every submission, which must leave ``/autograder/results/results.json``.
The zip holds:

- ``setup.sh``: Python, venv and bubblewrap from Ubuntu's apt, then the student checker wheel below into
  a virtualenv of its own (``/opt/backprop-lab``);
- ``run_autograder``: ``backprop-lab check /autograder/submission --format gradescope`` with the options
  given here; whatever check does (a bug of ours, a crash, no Python at all), results.json is left valid:
  check's own, or score 0 with the reason;
- the student checker wheel, built by ``packaging/build_checker.py`` (graders, oracles, embedded digits;
  never ``reference/`` nor ``assignments/``);
- ``grading-config.json`` or ``.yaml``: the ``--config`` given, validated first.

The same inputs always give the same bytes: sorted entries, fixed timestamps and modes (0755 for the two scripts).
``AUTOGRADER_ROOT`` (default ``/autograder``) and ``BACKPROP_LAB_VENV`` (default ``/opt/backprop-lab``) move
both scripts elsewhere, so the zip can be tried in a fake tree.
"""
from __future__ import annotations

import importlib.util
import os
import shlex
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Sequence

from graders.config import load_config
from graders.messages import label

ROOT = Path(__file__).resolve().parents[1]
BUILD_CHECKER = ROOT / "packaging" / "build_checker.py"
EPOCH = (1980, 1, 1, 0, 0, 0)
CONFIG_NAME = "grading-config"

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (written by `backprop-lab gradescope`).
# It installs Python, venv and bubblewrap (the sandbox) from Ubuntu, and the student checker shipped beside it
# into a virtualenv of its own. The checker holds the graders and the oracles, never the solution.
set -euo pipefail
source_dir="${AUTOGRADER_ROOT:-/autograder}/source"
venv="${BACKPROP_LAB_VENV:-/opt/backprop-lab}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip bubblewrap
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "error: the checker needs Python 3.10 or newer (Gradescope's Ubuntu 22.04 image or later); this image has $(python3 --version)" >&2
    exit 1
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --no-cache-dir "$source_dir/@WHEEL@"
"$venv/bin/backprop-lab" check --help >/dev/null
echo "backprop-lab checker installed in $venv"
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for every submission (written by `backprop-lab gradescope`). It grades
# $AUTOGRADER_ROOT/submission with the checker setup.sh installed and always leaves a valid
# $AUTOGRADER_ROOT/results/results.json: check's own, or score 0 with the reason check could not grade.
set -u
root="${AUTOGRADER_ROOT:-/autograder}"
venv="${BACKPROP_LAB_VENV:-/opt/backprop-lab}"
if [ -x "$venv/bin/backprop-lab" ]; then PATH="$venv/bin:$PATH"; fi
results="$root/results"
mkdir -p "$results"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
start="${EPOCHREALTIME:-$(date +%s)}"
backprop-lab check "$root/submission" --format gradescope @ARGS@ >"$work/check.json" 2>"$work/check.err"
status=$?
cat "$work/check.err"  # Gradescope shows the instructor this run's output
echo "backprop-lab check exited with status $status"
python3 - "$work/check.json" "$work/check.err" "$status" "$start" "$results/results.json" <<'PYTHON' && exit 0
import json, os, sys, time
check_json, check_err, status, start, target = sys.argv[1:]
MESSAGE = @MESSAGE@
VISIBILITY = ("hidden", "after_due_date", "after_published", "visible")

def number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)

def checks_own():
    try:
        with open(check_json, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or not number(doc.get("score")):
        return None
    tests = doc.get("tests", [])
    if not isinstance(tests, list) or not all(isinstance(t, dict) and number(t.get("score", 0)) for t in tests):
        return None
    return doc

def reason():
    try:
        with open(check_err, encoding="utf-8", errors="replace") as f:
            lines = [line.strip() for line in f.read().splitlines() if line.strip()]
    except OSError:
        lines = []
    errors = [line for line in lines if line.startswith("error:")]
    line = (errors or lines or ["backprop-lab check exited with status %s" % status])[-1]
    return line[len("error:"):].strip() if line.startswith("error:") else line

try:
    elapsed = max(0.0, time.time() - float(start.replace(",", ".")))
except ValueError:
    elapsed = 0.0
doc = checks_own()
if doc is None:
    doc = {"score": 0.0, "output": MESSAGE % reason(), "output_format": "text", "tests": []}
doc.setdefault("output", "")
doc.setdefault("execution_time", round(elapsed, 3))
if doc.get("visibility") not in VISIBILITY:
    doc["visibility"] = "visible"
if doc.get("stdout_visibility") not in VISIBILITY:
    doc["stdout_visibility"] = "hidden"
for test in doc.setdefault("tests", []):
    test.setdefault("name", "?")
    test.setdefault("score", 0.0)
    test.setdefault("output", "")
    if test.get("status") not in ("passed", "failed"):
        test["status"] = "passed" if number(test.get("max_score")) and test["score"] >= test["max_score"] else "failed"
    if test.get("visibility") not in VISIBILITY:
        test["visibility"] = "visible"
with open(target + ".partial", "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=2)
    f.write("\n")
os.replace(target + ".partial", target)
PYTHON
# No usable python3: results.json by hand, in printable ASCII only so it is valid JSON whatever the error said.
line="$(grep -a '^error:' "$work/check.err" | tail -n 1)"
[ -n "$line" ] || line="$(grep -av '^[[:space:]]*$' "$work/check.err" | tail -n 1)"
[ -n "$line" ] || line="backprop-lab check exited with status $status"
line="$(printf '%s' "${line#error:}" | LC_ALL=C tr -cd ' -~' | sed 's/^ *//; s/\\/\\\\/g; s/"/\\"/g')"
printf '{"score": 0.0, "output": "the autograder could not grade this submission: %s", "output_format": "text", "visibility": "visible", "stdout_visibility": "hidden", "execution_time": 0, "tests": []}\n' \
    "$line" >"$results/results.json"
"""



def _build_checker():
    """``packaging/build_checker.py`` as a module: it sits beside the packages in the project's tree only."""
    if not BUILD_CHECKER.is_file():
        raise FileNotFoundError(f"{BUILD_CHECKER} is missing: build the autograder from the project's source tree")
    spec = importlib.util.spec_from_file_location("backprop_lab_build_checker", BUILD_CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check_arguments(lang: str, only: Sequence[str] | None, config_name: str | None) -> str:
    """The options run_autograder passes to check, as bash text (the config's path is under $root)."""
    args = ["--lang", shlex.quote(lang)]
    if only:
        args += ["--only", shlex.quote(",".join(only))]
    if config_name:
        args += ["--config", f'"$root/source/{config_name}"']
    return " ".join(args)


def scripts(wheel_name: str, *, lang: str = "en", only: Sequence[str] | None = None,
            config_name: str | None = None) -> dict[str, str]:
    """setup.sh and run_autograder for a zip holding ``wheel_name`` (and ``config_name``, if any)."""
    run = (RUN_AUTOGRADER.replace("@ARGS@", _check_arguments(lang, only, config_name))
           .replace("@MESSAGE@", repr(label(lang, "autograder_failed"))))
    return {"setup.sh": SETUP_SH.replace("@WHEEL@", wheel_name), "run_autograder": run}


def _entry(archive: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.create_system = 3  # Unix, so the modes hold
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data, compresslevel=9)


def build_autograder(out: str | os.PathLike, *, config: str | os.PathLike | None = None, lang: str = "en",
                     only: Sequence[str] | None = None) -> tuple[Path, list[str]]:
    """Write the zip to ``out`` (written aside, then moved into place); its path and member names.

    A config that does not validate raises ConfigError (one line) before anything is written.
    """
    out = Path(out)
    entries: dict[str, tuple[bytes, int]] = {}
    config_name = None
    if config is not None:
        load_config(config)
        suffix = Path(config).suffix.lower()
        config_name = CONFIG_NAME + (suffix if suffix in (".yaml", ".yml") else ".json")
        entries[config_name] = (Path(config).read_bytes(), 0o644)
    builder = _build_checker()
    with tempfile.TemporaryDirectory(prefix="backprop-lab-gradescope-") as folder:
        wheel = builder.build(Path(folder), ROOT)
        entries[wheel.name] = (wheel.read_bytes(), 0o644)
    for name, text in scripts(wheel.name, lang=lang, only=only, config_name=config_name).items():
        entries[name] = (text.encode("utf-8"), 0o755)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted(entries):
            _entry(archive, name, *entries[name])
    os.replace(partial, out)
    return out, sorted(entries)


def gradescope_command(out: str, *, config: str | None = None, lang: str = "en",
                       only: Sequence[str] | None = None) -> int:
    """Build the zip and say in one line where it went, its size and what it holds; 0."""
    path, members = build_autograder(out, config=config, lang=lang, only=only)
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB): {', '.join(members)}", file=sys.stdout)
    return 0
