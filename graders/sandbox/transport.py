"""How arrays cross between parent and child: length-prefixed JSON headers and raw array bytes described
by a JSON table (name, dtype, shape), never pickle. Reading one is a few ``np.frombuffer`` calls (an
.npz took a zip parse per record: a fifth of a check); both sides validate, and the parent trusts only
what it validates itself."""
from __future__ import annotations

import json
import math
import struct
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
    """One record: the header's JSON and ``arrays``, each behind its length."""
    head = json.dumps(dict(header)).encode()
    body = encode_arrays(arrays)
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
        except (ValueError, InvalidOutput, RecursionError, KeyError, TypeError):
            header, arrays = None, {}  # a well-framed record that is not ours: skipped, the ones after still count
        if isinstance(header, dict):
            yield header, arrays
        pos = body_end


def encode_arrays(arrays: Mapping[str, np.ndarray]) -> bytes:
    """A table of (name, dtype, shape) and the arrays' bytes, one after another in C order."""
    plain = {name: np.asarray(a) for name, a in arrays.items()}
    table = json.dumps([[name, a.dtype.str, list(a.shape)] for name, a in plain.items()]).encode()
    return _LENGTH.pack(len(table)) + table + b"".join(a.tobytes(order="C") for a in plain.values())


def load_arrays(body: bytes) -> dict[str, np.ndarray]:
    """Parse ``encode_arrays``' bytes, keeping only plain numeric arrays whose sizes add up: nothing is read
    past the body, and a table cannot make a few bytes into gigabytes."""
    if len(body) < _LENGTH.size:
        raise InvalidOutput("an array record without its table")
    (n_table,) = _LENGTH.unpack_from(body)
    pos = _LENGTH.size + n_table
    if pos > len(body):
        raise InvalidOutput("an array table longer than its record")
    table = json.loads(body[_LENGTH.size:pos])
    if not isinstance(table, list):
        raise InvalidOutput("an array table that is not a list")
    arrays = {}
    for entry in table:
        name, dtype, shape = entry
        dtype = np.dtype(dtype)
        if not isinstance(name, str) or dtype.kind not in NUMERIC_KINDS or dtype.itemsize > 16 or dtype.fields \
                or not isinstance(shape, list) or len(shape) > 32 \
                or not all(type(n) is int and 0 <= n <= _MAX_RECORD for n in shape):
            raise InvalidOutput(f"{name!r}: not a plain numeric array ({dtype}, {shape})")
        count = math.prod(shape)
        end = pos + count * dtype.itemsize
        if end > len(body):
            raise InvalidOutput(f"{name}: its bytes run past the record")
        arrays[name] = np.frombuffer(body, dtype, count, pos).reshape(shape).copy()
        pos = end
    if pos != len(body):
        raise InvalidOutput("bytes after the last array")
    return arrays
