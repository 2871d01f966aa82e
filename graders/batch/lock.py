"""One run per results folder at a time. The lock is the kernel's (flock): a run that crashes, or is
killed with -9, releases it by dying, so nothing stale is ever left to clean by hand."""
from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from pathlib import Path
from typing import IO

from labdata.errors import LabError


class FolderBusy(LabError):
    """Another run holds the folder; the message says which (pid, host, since when)."""


class RunLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / ".lock"
        self.file: IO[str] | None = None

    def __enter__(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = open(self.path, "a+")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.seek(0)
            try:
                holder = json.loads(file.read() or "{}")
            except json.JSONDecodeError:
                holder = {}
            file.close()
            since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(holder.get("started", 0)))
            pid, host = holder.get("pid", "?"), holder.get("host", "?")
            raise FolderBusy(f"{self.path.parent}: another run is grading into it (pid {pid} on {host}, since "
                             f"{since}); wait for it or use another --out",
                             ko=f"{self.path.parent}: 다른 실행이 이 폴더에 채점하고 있습니다 ({host}의 pid {pid}, "
                             f"{since}부터). 끝나기를 기다리거나 다른 --out을 쓰세요") from None
        file.seek(0)
        file.truncate()
        file.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}))
        file.flush()
        self.file = file
        return self

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()  # closing releases the lock; the file stays, harmless
