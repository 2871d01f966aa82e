"""The root of backprop-lab's user errors, and labdata's own: bad input the user can fix, in one line.

It lives here, in the package every other one may import, so that the command line can catch one
type and print its line in the user's language; graders' and assignments' errors derive from it.
"""
from __future__ import annotations


class LabError(Exception):
    """Bad input, said in one line: ``str(error)`` in English, ``error.text("ko")`` in Korean."""

    def __init__(self, message: str, *, ko: str | None = None) -> None:
        super().__init__(message)
        self.ko = ko

    def text(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" and self.ko else str(self)


class DataError(LabError):
    """A data set file is missing, unreadable, corrupt, or fails its checksum.

    The message is a single line that names the file and says what to do.
    """
