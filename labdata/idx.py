"""Read and write IDX files, the format MNIST ships in, with every header field checked.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number of
dimensions), one big-endian uint32 per dimension, then the data, big-endian, row-major.
Files ending in ``.gz`` are gzip-compressed.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from pathlib import Path

import numpy as np

from labdata.errors import DataError

# IDX type code -> big-endian numpy dtype
_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODES = {dtype.newbyteorder("="): code for code, dtype in _DTYPES.items()}


def read_idx_bytes(path: str | os.PathLike) -> bytes:
    """Return the decompressed content of an IDX file (gzip or plain)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file", ko=f"{path}: 파일이 없습니다") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})", ko=f"{path}: 읽을 수 없습니다 ({exc.strerror})") from None
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: corrupt gzip data ({exc}); delete it and fetch it again",
                        ko=f"{path}: gzip 데이터가 손상되었습니다 ({exc}). 지우고 다시 받으세요") from None


def parse_idx(content: bytes, name: str = "<bytes>") -> np.ndarray:
    """Parse IDX ``content``; ``name`` is used in error messages."""
    if len(content) < 4:
        raise DataError(f"{name}: not an IDX file (only {len(content)} bytes)",
                        ko=f"{name}: IDX 파일이 아닙니다 ({len(content)}바이트뿐입니다)")
    zero, code, ndim = content[:2], content[2], content[3]
    if zero != b"\x00\x00" or code not in _DTYPES or ndim == 0:
        raise DataError(f"{name}: not an IDX file (magic number 0x{content[:4].hex()})",
                        ko=f"{name}: IDX 파일이 아닙니다 (매직 넘버 0x{content[:4].hex()})")
    header = 4 + 4 * ndim
    if len(content) < header:
        raise DataError(f"{name}: truncated IDX header ({len(content)} of {header} bytes)",
                        ko=f"{name}: IDX 헤더가 잘렸습니다 ({header}바이트 중 {len(content)}바이트)")
    shape = tuple(int(d) for d in np.frombuffer(content, ">u4", count=ndim, offset=4))
    dtype = _DTYPES[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(content) - header
    if found < expected:
        raise DataError(f"{name}: truncated: shape {shape} needs {expected} data bytes, found {found}",
                        ko=f"{name}: 잘린 파일입니다: 형상 {shape}에는 데이터 {expected}바이트가 필요한데 {found}바이트입니다")
    if found > expected:
        raise DataError(f"{name}: {found - expected} unexpected bytes after the data of shape {shape}",
                        ko=f"{name}: 형상 {shape}의 데이터 뒤에 예상하지 못한 {found - expected}바이트가 있습니다")
    data = np.frombuffer(content, dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (``.gz`` or plain) into a native-endian array."""
    return parse_idx(read_idx_bytes(path), str(path))


def write_idx(path: str | os.PathLike, array: np.ndarray) -> None:
    """Write ``array`` as an IDX file, gzip-compressed when ``path`` ends in ``.gz``."""
    array = np.asarray(array)
    native = array.dtype.newbyteorder("=")
    if native not in _CODES:
        raise ValueError(f"IDX cannot store dtype {array.dtype}")
    code = _CODES[native]
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    content = header + array.astype(_DTYPES[code]).tobytes()
    path = Path(path)
    if path.suffix == ".gz":
        content = gzip.compress(content, mtime=0)
    path.write_bytes(content)


def sha256_of_content(content: bytes) -> str:
    """SHA-256 of decompressed IDX content: stable across gzip re-packings of the same data."""
    return hashlib.sha256(content).hexdigest()
