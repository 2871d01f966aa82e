"""The download path, against a real HTTP server on 127.0.0.1: good, truncated, wrong checksum."""
import gzip
import http.server
import threading
from pathlib import Path

import numpy as np
import pytest

from labdata import DATASETS, DataError, load_mnist, write_idx
from labdata.datasets import Dataset, IdxFile
from labdata.idx import sha256_of_content

IMAGES = np.arange(5 * 28 * 28, dtype=np.int64).reshape(5, 28, 28).astype(np.uint8)
LABELS = np.array([3, 1, 4, 1, 5], np.uint8)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the test's directory; ``/short/NAME`` promises more bytes than it sends."""

    def do_GET(self):
        if self.path.startswith("/short/"):
            body = (Path(self.directory) / self.path.removeprefix("/short/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    handler = lambda *a, **k: _Handler(*a, directory=str(root), **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def tiny(monkeypatch, tmp_path):
    """A four-file data set in MNIST's layout, registered for the test's duration."""
    files = {}
    for name, array in [("train-images-idx3-ubyte.gz", IMAGES), ("train-labels-idx1-ubyte.gz", LABELS),
                        ("t10k-images-idx3-ubyte.gz", IMAGES[:2]), ("t10k-labels-idx1-ubyte.gz", LABELS[:2])]:
        path = tmp_path / "source" / name
        path.parent.mkdir(exist_ok=True)
        write_idx(path, array)
        files[name] = path
    sums = {n: sha256_of_content(gzip.decompress(p.read_bytes())) for n, p in files.items()}
    spec = Dataset("tiny", *(IdxFile(n, sums[n]) for n in files), urls=("http://127.0.0.1:9/unused/",))
    monkeypatch.setitem(DATASETS, "tiny", spec)
    return files


def _serve(root: Path, files: dict, **replace: bytes) -> None:
    for name, path in files.items():
        (root / name).write_bytes(replace.get(name, path.read_bytes()))


def test_good_files_are_downloaded_verified_and_cached(server, tiny, tmp_path):
    root, url = server
    _serve(root, tiny)
    cache = tmp_path / "cache"
    (x, t), (x_test, t_test) = load_mnist(dataset="tiny", base_url=url, cache_dir=cache,
                                          normalize=False, progress=False)
    assert np.array_equal(x.reshape(5, 28, 28), IMAGES) and t.tolist() == [3, 1, 4, 1, 5]
    assert x_test.shape == (2, 784)
    assert sorted(p.name for p in cache.iterdir()) == sorted(tiny)
    # a second load reads the cache: the server no longer has the files
    for name in tiny:
        (root / name).unlink()
    (x2, _), _ = load_mnist(dataset="tiny", base_url=url, cache_dir=cache, normalize=False, progress=False)
    assert np.array_equal(x, x2)


def test_truncated_file_is_refused_and_leaves_nothing_in_the_cache(server, tiny, tmp_path):
    root, url = server
    name = "train-images-idx3-ubyte.gz"
    _serve(root, tiny, **{name: tiny[name].read_bytes()[:-40]})
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match=f"{name}.*corrupt gzip data|{name}.*truncated"):
        load_mnist(dataset="tiny", base_url=url, cache_dir=cache, progress=False)
    assert not (cache / name).exists()
    assert not [p for p in cache.iterdir() if p.name.endswith(".part")]


def test_connection_closed_early_is_refused(server, tiny, tmp_path):
    root, url = server
    _serve(root, tiny)
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match=r"download (incomplete|interrupted)"):
        load_mnist(dataset="tiny", base_url=url + "/short", cache_dir=cache, progress=False)
    assert list(cache.iterdir()) == []


def test_wrong_checksum_is_refused_and_leaves_nothing_in_the_cache(server, tiny, tmp_path):
    root, url = server
    other = tmp_path / "other.gz"
    write_idx(other, LABELS[::-1].copy())
    _serve(root, tiny, **{"train-labels-idx1-ubyte.gz": other.read_bytes()})
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match="train-labels-idx1-ubyte.gz: SHA-256 .* does not match"):
        load_mnist(dataset="tiny", base_url=url, cache_dir=cache, progress=False)
    assert not (cache / "train-labels-idx1-ubyte.gz").exists()


def test_missing_on_the_server_is_one_line_with_the_hint(server, tiny, tmp_path):
    _, url = server
    with pytest.raises(DataError) as info:
        load_mnist(dataset="tiny", base_url=url, cache_dir=tmp_path / "cache", progress=False)
    message = str(info.value)
    assert "\n" not in message
    assert "train-images-idx3-ubyte.gz of tiny not found in" in message
    assert "train-images-idx3-ubyte.gz: download failed (HTTP 404 File not found)" in message


def test_no_download_when_told_not_to(tiny, tmp_path):
    with pytest.raises(DataError, match="not found in"):
        load_mnist(dataset="tiny", cache_dir=tmp_path, download=False)
