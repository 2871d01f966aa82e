"""The class on one HTML page: the score distribution, and per component the bugs students have at the root
(a wrong Affine first, not the wrong gradient it causes downstream), with how many students have each."""
from __future__ import annotations

import base64
import html
from collections import Counter
from pathlib import Path
from typing import Any

from graders.batch.files import write_atomic
from graders.batch.summary import CONSEQUENCES
from graders.components import REPORT_ORDER
from graders.messages import section


def root_causes(results: list[dict[str, Any]]) -> dict[str, list[tuple[str, int, str]]]:
    """{component: [(bug, students, an example message)]}, root causes first, then by how many students."""
    counts: dict[str, Counter[str]] = {}
    examples: dict[tuple[str, str], str] = {}
    for result in results:
        seen = set()
        for check in result.get("report", {}).get("checks", []):
            if check["status"] in ("fail", "error") and check["bug"]:
                key = (check["component"], check["bug"])
                if key not in seen:
                    seen.add(key)
                    counts.setdefault(key[0], Counter())[key[1]] += 1
                    examples.setdefault(key, check["message"])
    order = list(REPORT_ORDER)
    return {component: sorted(((bug, n, examples[(component, bug)]) for bug, n in counts[component].items()),
                              key=lambda row: (row[0] in CONSEQUENCES, -row[1], row[0]))
            for component in sorted(counts, key=lambda c: order.index(c) if c in order else len(order))}


def write_class_report(results: list[dict[str, Any]], histogram: Path, path: Path, lang: str = "en") -> Path:
    words = section(lang, "class")
    graded = [r["report"] for r in results if r.get("status") == "graded"]
    scores = sorted(r["score"] for r in graded)
    summary = f"{len(results)} {words['students']}, {len(graded)} {words['graded']}"
    if scores:
        median = scores[len(scores) // 2] if len(scores) % 2 else (scores[len(scores) // 2 - 1] + scores[len(scores) // 2]) / 2
        summary += f"; {words['mean']} {sum(scores) / len(scores):.1f}, {words['median']} {median:g} / {graded[0]['max_score']:g}"
    image = base64.b64encode(histogram.read_bytes()).decode() if histogram.exists() else ""
    rows = []
    for component, bugs in root_causes(results).items():
        for i, (bug, n, example) in enumerate(bugs):
            tag = f" <small>({words['symptoms']})</small>" if bug in CONSEQUENCES else ""
            rows.append(f"<tr><td>{html.escape(component) if i == 0 else ''}</td><td><code>{html.escape(bug)}</code>{tag}"
                        f"</td><td class=n>{n}</td><td>{html.escape(example)}</td></tr>")
    table = (f"<table><tr><th>{words['component']}</th><th>{words['bug']}</th><th>{words['count']}</th>"
             f"<th>{words['example']}</th></tr>{''.join(rows)}</table>") if rows else f"<p>{words['none']}</p>"
    page = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{words['title']}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td,th{{padding:.2em .6em;text-align:left;
vertical-align:top;border-bottom:1px solid #ddd}}td.n{{text-align:right}}small{{color:#888}}</style></head>
<body><h1>{words['title']}</h1><p>{html.escape(summary)}</p>
{f'<img alt="scores" src="data:image/png;base64,{image}">' if image else ''}
<h2>{words['roots']}</h2>{table}</body></html>
"""
    write_atomic(path, page)
    return path
