"""IDX round trips, and one clear error for every way a file can be wrong."""
import gzip

import numpy as np
import pytest

from labdata import DataError, read_idx, write_idx


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "float32", "float64"])
@pytest.mark.parametrize("suffix", [".idx", ".gz"])
def test_round_trip_keeps_values_shape_and_dtype(tmp_path, dtype, suffix):
    array = (np.arange(2 * 3 * 4) - 7).astype(dtype).reshape(2, 3, 4)
    path = tmp_path / f"a{suffix}"
    write_idx(path, array)
    back = read_idx(path)
    assert back.dtype == np.dtype(dtype)
    assert back.shape == (2, 3, 4)
    assert np.array_equal(back, array)


def test_header_is_big_endian_as_the_format_says(tmp_path):
    path = tmp_path / "labels.idx"
    write_idx(path, np.array([1, 2, 3], dtype=np.int32))
    raw = path.read_bytes()
    assert raw[:4] == bytes([0, 0, 0x0C, 1])
    assert raw[4:8] == (3).to_bytes(4, "big")
    assert raw[8:12] == (1).to_bytes(4, "big")


def _error(path) -> str:
    with pytest.raises(DataError) as info:
        read_idx(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def test_truncated_data_names_the_file_and_the_sizes(tmp_path):
    path = tmp_path / "images.idx"
    write_idx(path, np.zeros((4, 28, 28), np.uint8))
    path.write_bytes(path.read_bytes()[:-10])
    assert "truncated: shape (4, 28, 28) needs 3136 data bytes, found 3126" in _error(path)


def test_truncated_header(tmp_path):
    path = tmp_path / "images.idx"
    path.write_bytes(bytes([0, 0, 8, 3]) + b"\x00\x00")
    assert "truncated IDX header" in _error(path)


def test_trailing_bytes_are_rejected(tmp_path):
    path = tmp_path / "labels.idx"
    write_idx(path, np.zeros(5, np.uint8))
    path.write_bytes(path.read_bytes() + b"extra")
    assert "5 unexpected bytes after the data" in _error(path)


def test_wrong_magic_number(tmp_path):
    path = tmp_path / "picture.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert "not an IDX file (magic number 0x89504e47)" in _error(path)


def test_corrupt_gzip(tmp_path):
    path = tmp_path / "labels.gz"
    path.write_bytes(gzip.compress(bytes([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]))[:-12])
    assert "corrupt gzip data" in _error(path)


def test_missing_file(tmp_path):
    assert "no such file" in _error(tmp_path / "absent.gz")


def test_writer_refuses_a_dtype_idx_cannot_hold(tmp_path):
    with pytest.raises(ValueError, match="IDX cannot store dtype complex128"):
        write_idx(tmp_path / "c.idx", np.zeros(2, np.complex128))
