"""Every sentence backprop-lab writes for a reader itself, one catalogue per language (``en.py``, ``ko.py``).

Bug classes carry their own two messages beside their detectors (``graders/checks/``); user errors carry theirs
where they are raised (``labdata.errors.LabError``). Everything else a report, a note or a summary says is looked
up here by key, so that a sentence is written once per language and a key missing in either fails a test.
"""
from __future__ import annotations

from typing import Any

from graders.messages import en, ko

CATALOGUES: dict[str, dict[str, str]] = {"en": en.SENTENCES, "ko": ko.SENTENCES}


def label(lang: str, key: str) -> str:
    """The sentence's template in ``lang`` (English for a language there is no catalogue of)."""
    return CATALOGUES.get(lang, en.SENTENCES)[key]


def section(lang: str, prefix: str) -> dict[str, str]:
    """The templates whose keys start with ``prefix.``, by the rest of their key (``class.title`` -> ``title``)."""
    catalogue = CATALOGUES.get(lang, en.SENTENCES)
    return {key[len(prefix) + 1:]: text for key, text in catalogue.items() if key.startswith(prefix + ".")}


def say(lang: str, key: str, **fields: Any) -> str:
    """The sentence, its ``{fields}`` filled in."""
    return label(lang, key).format(**fields)
