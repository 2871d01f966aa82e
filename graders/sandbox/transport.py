"""How results cross from the child to the parent: length-prefixed JSON headers and
.npz payloads, never pickle. Both sides validate; the parent trusts only what it
validates itself."""
from __future__ import annotations

import io
import json
import struct
import zipfile
from typing import Any, Iterator, Mapping

import numpy as np

NUMERIC_KINDS = "biuf"  # bool, signed and unsigned int, float
_LENGTH = struct.Struct(">Q")
_MAX_RECORD = 1 << 30


class InvalidOutput(Exception):
    """A value the child cannot hand back as a plain numeric array."""


def to_plain_array(name: str, value: Any) -> np.ndarray:
    """A fresh, plain ndarray of a numeric dtype, or InvalidOutput saying what ``value`` was.

    Exact type checks, not isinstance: an ndarray subclass or an object that claims to
    be a number could override comparison, so only the real types are accepted.
    """
    kind = type(value)
    if kind is np.ndarray or kind in (bool, int, float) or (isinstance(value, np.generic) and kind.__module__ == "numpy"):
        array = np.array(value, copy=True)
    elif kind in (list, tuple):
        array = np.array([to_plain_array(name, v) for v in value]) if value else np.array([])
    else:
        raise InvalidOutput(f"{name} is a {kind.__qualname__} object, not a numpy array or number")
    if type(array) is not np.ndarray or array.dtype.kind not in NUMERIC_KINDS:
        raise InvalidOutput(f"{name} has dtype {array.dtype}, not a numeric one")
    return array


def encode(header: Mapping[str, Any], arrays: Mapping[str, np.ndarray] = {}) -> bytes:
    """One record: header JSON and an .npz of ``arrays``, each behind its length."""
    head = json.dumps(dict(header)).encode()
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    body = buffer.getvalue()
    return _LENGTH.pack(len(head)) + head + _LENGTH.pack(len(body)) + body


def decode(data: bytes) -> Iterator[tuple[dict[str, Any], dict[str, np.ndarray]]]:
    """Every complete, well-formed record in ``data``; a torn last record (the child died writing it) is dropped,
    and so is a record whose header or arrays are not what the child writes."""
    pos = 0
    while pos + _LENGTH.size <= len(data):
        (n_head,) = _LENGTH.unpack_from(data, pos)
        head_end = pos + _LENGTH.size + n_head
        if n_head > _MAX_RECORD or head_end + _LENGTH.size > len(data):
            return
        (n_body,) = _LENGTH.unpack_from(data, head_end)
        body_end = head_end + _LENGTH.size + n_body
        if n_body > _MAX_RECORD or body_end > len(data):
            return
        try:
            header = json.loads(data[pos + _LENGTH.size:head_end])
            arrays = load_arrays(data[head_end + _LENGTH.size:body_end])
        except (ValueError, InvalidOutput, RecursionError, KeyError, OSError):
            header, arrays = None, {}  # a well-framed record that is not ours: skipped, the ones after still count
        if isinstance(header, dict):
            yield header, arrays
        pos = body_end


def load_arrays(body: bytes) -> dict[str, np.ndarray]:
    """Parse an .npz without pickle and keep only plain numeric arrays.

    Sizes are checked before anything is inflated: every member must be stored, not compressed (np.savez's
    way), so no member holds more than the record's own bytes; a few bytes cannot become gigabytes here.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise InvalidOutput(f"not an .npz record: {exc}") from None
    if any(m.compress_type != zipfile.ZIP_STORED for m in members) or sum(m.file_size for m in members) > len(body):
        raise InvalidOutput("a compressed or oversized .npz record")
    with np.load(io.BytesIO(body), allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    for name, array in arrays.items():
        if type(array) is not np.ndarray or array.dtype.kind not in NUMERIC_KINDS:
            raise InvalidOutput(f"{name} has dtype {array.dtype}, not a numeric one")
    return arrays
