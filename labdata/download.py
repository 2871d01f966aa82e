"""Fetch a data set file over HTTP into a cache: verified, atomic, with a progress bar."""
from __future__ import annotations

import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

from labdata.datasets import IdxFile
from labdata.errors import DataError
from labdata.idx import parse_idx, read_idx_bytes, sha256_of_content

_CHUNK = 1 << 16
TIMEOUT_SECONDS = 30


def download(url: str, target: IdxFile, dest_dir: Path, *, progress: bool = True) -> Path:
    """Download ``url`` to ``dest_dir/target.name`` and return the path.

    The bytes go to a temporary file in ``dest_dir`` and are renamed into place only
    once the content parses as IDX and its SHA-256 matches, so the cache never holds a
    half-written or wrong file, whatever fails or interrupts the download.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    final = dest_dir / target.name
    fd, tmp_name = tempfile.mkstemp(dir=dest_dir, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            _stream(url, out, target.name, progress)
        content = read_idx_bytes(tmp)
        parse_idx(content, url)
        digest = sha256_of_content(content)
        if digest != target.sha256:
            raise DataError(f"{url}: SHA-256 {digest} does not match the expected {target.sha256}",
                            ko=f"{url}: SHA-256 {digest}이(가) 예상한 {target.sha256}과(와) 다릅니다")
        os.replace(tmp, final)
        return final
    finally:
        tmp.unlink(missing_ok=True)


def _stream(url: str, out, label: str, progress: bool) -> None:
    try:
        response = urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DataError(f"{url}: download failed ({_reason(exc)})",
                        ko=f"{url}: 내려받기에 실패했습니다 ({_reason(exc)})") from None
    with response:
        total = response.headers.get("Content-Length")
        total = int(total) if total and total.isdigit() else None
        columns = (TextColumn(label), BarColumn(), DownloadColumn(), TransferSpeedColumn())
        with Progress(*columns, transient=True, disable=not progress) as bar:
            task = bar.add_task(label, total=total)
            received = 0
            try:
                while chunk := response.read(_CHUNK):
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(task, advance=len(chunk))
            except OSError as exc:
                raise DataError(f"{url}: download interrupted ({_reason(exc)})",
                                ko=f"{url}: 내려받기가 중단되었습니다 ({_reason(exc)})") from None
    if total is not None and received != total:
        raise DataError(f"{url}: download incomplete ({received} of {total} bytes)",
                        ko=f"{url}: 내려받기가 끝나지 않았습니다 ({total}바이트 중 {received}바이트)")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    return str(getattr(exc, "reason", None) or exc)
