"""Parent side: what a child wrote back, read as untrusted. The child's process also ran the student's code,
which can write to the channel: every record is checked for shape, a malformed one counts against its call,
and one for a call never asked for is ignored."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from graders.sandbox.calls import Fault, ProbeResult
from graders.sandbox.transport import InvalidOutput, decode

STATUSES = {"ok", "raised", "timeout", "crashed", "memory", "output", "invalid"}
_ATTRIBUTE = re.compile(r"[A-Za-z_]\w{0,99}|grads\[[0-9]\]")  # what the child reads an output from (textbook.py)


def loading_record(record: dict[str, Any], why_stripped: dict[int, str]) -> dict[str, Any]:
    """The child's account of loading, checked for shape (it crossed from untrusted code's process)."""
    def plain(value: Any, kinds: tuple[type, ...]) -> Any:
        return value if isinstance(value, kinds) else kinds[0]()

    graded = {str(k): {"name": str(v.get("name", "")), "file": str(v.get("file", "")), "line": int(v.get("line", 1)),
                       "others": [str(o) for o in plain(v.get("others"), (list,))][:20], "script": bool(v.get("script"))}
              for k, v in plain(record.get("graded"), (dict,)).items() if isinstance(v, dict)}
    units = [str(u) for u in plain(record.get("units"), (list,))]
    findings = []
    for f in plain(record.get("findings"), (list,))[:50]:
        if not isinstance(f, dict):
            continue
        finding = {"kind": str(f.get("kind", "")), "file": str(f.get("file", "")), "line": int(f.get("line", 1)),
                   "error": str(f.get("error", ""))[:300], "module": str(f.get("module", ""))[:100],
                   "components": [str(c) for c in plain(f.get("components"), (list,))][:20]}
        if finding["kind"] == "stripped":
            unit = units.index(finding["file"]) if finding["file"] in units else None
            finding["error"] = why_stripped.get(unit, "") if unit is not None else ""
        findings.append(finding)
    return {"graded": graded, "findings": findings, "units": units[:200],
            "classes": [str(c) for c in plain(record.get("classes"), (list,))][:500]}


def probe_results(records: list[tuple[dict[str, Any], dict[str, np.ndarray]]], ids: set[str]) -> dict[str, ProbeResult]:
    """Probe results from the child's records, trusting nothing about them: the child's process also ran the
    student's code, which can write to the channel. A malformed record, or a second one for the same call,
    makes that call "invalid"; a record for a call that was never asked for is ignored."""
    results: dict[str, ProbeResult] = {}
    for header, arrays in records:
        probe = header.get("id") if header.get("kind") == "probe" else None
        if not isinstance(probe, str) or probe not in ids:
            continue
        if probe in results:
            results[probe] = ProbeResult(probe, "invalid", error="more than one result came back for this call: "
                                                                 "something wrote to the grader's channel")
            continue
        try:
            results[probe] = probe_result(probe, header, arrays)
        except (KeyError, ValueError, TypeError):
            results[probe] = ProbeResult(probe, "invalid", error="a malformed result came back for this call")
    return results


def probe_result(probe: str, header: dict[str, Any], arrays: dict[str, np.ndarray]) -> ProbeResult:
    """One probe's record, its shape checked (ValueError, KeyError or TypeError when it is not what a child writes)."""
    status, error, nones, errors = header["status"], header.get("error", ""), header.get("nones", []), header.get("errors", {})
    if status not in STATUSES or not isinstance(error, str) or not isinstance(nones, list) \
            or not isinstance(errors, dict) or not all(isinstance(n, str) for n in nones):
        raise ValueError
    found = _fault(header["fault"]) if status == "raised" else None
    return ProbeResult(probe, status, arrays if status == "ok" else {}, str(found) if found else error[:300],
                       tuple(n[:100] for n in nones[:50]),
                       {str(k)[:100]: _fault(v) for k, v in list(errors.items())[:50]}, found,
                       _spelled(header.get("spelled", {})))


def _spelled(record: Any) -> dict[str, str]:
    """Outputs read from an attribute of a student's name, and that name: only in the shapes the child sends."""
    if not isinstance(record, dict) or not all(isinstance(v, str) and _ATTRIBUTE.fullmatch(v) for v in record.values()):
        raise ValueError
    return {str(k)[:100]: v for k, v in list(record.items())[:20]}


def _fault(record: Any) -> Fault:
    """A fault as the child described it: strings cut to size, a line number, nothing else."""
    if not isinstance(record, dict) or not isinstance(record.get("kind"), str) \
            or not isinstance(record.get("line", 0), int):
        raise ValueError
    text = {key: str(record.get(key, ""))[:limit] for key, limit in
            (("kind", 100), ("message", 300), ("file", 200), ("attribute", 100), ("owner", 100))}
    return Fault(line=int(record.get("line", 0)), **text)


def read_records(path: Path) -> list[tuple[dict[str, Any], dict[str, np.ndarray]]]:
    records = []
    try:
        for record in decode(path.read_bytes()):
            records.append(record)
    except (InvalidOutput, ValueError, KeyError, OSError, RecursionError, TypeError):
        pass  # a record that is not ours (the student wrote to the channel) ends the list
    return records
