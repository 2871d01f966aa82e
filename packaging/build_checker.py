"""Build the student checker: a wheel of ``graders``, ``labdata`` and ``backprop_lab`` only.

The project's own package holds ``reference/`` (the model solution) and ``assignments/`` (which
writes it into notebooks), so it cannot be handed to students. This wheel can: it grades with
the oracles generated from the proofs and the embedded digits, and never contains the solution.

The wheel is written with ``zipfile`` by hand (the build needs neither ``wheel`` nor a recent
setuptools, nor the network), and byte-for-byte reproducibly: sorted entries, fixed timestamps
and permissions, so the same tree always gives the same file and a published one can be checked.

Usage: python packaging/build_checker.py --out dist/   (Python 3.11+, for tomllib; the wheel itself runs on 3.10)
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import os
import re
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "backprop-lab-checker"
PACKAGES = ("graders", "labdata", "backprop_lab")  # never reference/ or assignments/
REQUIRES = ("numpy", "PyYAML", "rich", "matplotlib", "fastjsonschema")  # not sympy, nbgrader, ipykernel
SUMMARY = "Student checker for the backpropagation chapter of Deep Learning from Scratch (no solutions inside)"
EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no build time leaks into the bytes


def project(root: Path = ROOT) -> dict:
    """The ``[project]`` table of pyproject.toml: the checker takes its version and pins from it, so they never drift."""
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirements(dependencies: list[str]) -> list[str]:
    """The project's own specifier for each of the checker's dependencies (``numpy>=1.24``)."""
    pins = {re.match(r"[A-Za-z0-9._-]+", spec).group().lower(): spec for spec in dependencies}
    missing = [dep for dep in REQUIRES if dep.lower() not in pins]
    if missing:
        raise SystemExit(f"error: pyproject.toml no longer lists {', '.join(missing)}")
    return [pins[dep.lower()] for dep in REQUIRES]


def package_files(root: Path = ROOT) -> list[tuple[str, Path]]:
    """(archive name, file) for every file of the packages, sorted; caches and hidden or backup files stay out."""
    files = []
    for package in PACKAGES:
        for path in (root / package).rglob("*"):
            relative = path.relative_to(root)
            if (path.is_file() and path.suffix not in (".pyc", ".pyo") and not path.name.endswith("~")
                    and not any(part == "__pycache__" or part.startswith(".") for part in relative.parts)):
                files.append((relative.as_posix(), path))
    return sorted(files)


def dist_info(meta: dict) -> dict[str, bytes]:
    """METADATA, WHEEL and entry_points.txt: what pip needs to install the checker and its command."""
    version = meta["version"]
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {NAME}",
        f"Version: {version}",
        f"Summary: {SUMMARY}",
        f"Requires-Python: {meta['requires-python']}",
        *(f"Requires-Dist: {spec}" for spec in requirements(meta["dependencies"])),
    ]
    wheel = ["Wheel-Version: 1.0", "Generator: backprop-lab packaging/build_checker.py",
             "Root-Is-Purelib: true", "Tag: py3-none-any"]
    entry_points = ["[console_scripts]", "backprop-lab = backprop_lab.cli:entry"]
    return {name: ("\n".join(lines) + "\n").encode() for name, lines in
            (("METADATA", metadata), ("WHEEL", wheel), ("entry_points.txt", entry_points))}


def record_line(name: str, data: bytes) -> str:
    """One RECORD row: the file's sha256 in the wheel format (urlsafe base64, no padding) and its size."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    """One entry with a fixed time, owner-independent permissions (0644) and Unix as its system."""
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data, compresslevel=9)


def build(out: Path, root: Path = ROOT) -> Path:
    """Write the wheel into ``out`` (created if needed) and return its path; written aside, then moved into place."""
    meta = project(root)
    stem = f"{NAME.replace('-', '_')}-{meta['version']}"
    entries = [(name, path.read_bytes()) for name, path in package_files(root)]
    entries += [(f"{stem}.dist-info/{name}", data) for name, data in dist_info(meta).items()]
    record_name = f"{stem}.dist-info/RECORD"
    record = "".join(record_line(name, data) + "\n" for name, data in entries) + f"{record_name},,\n"
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{stem}-py3-none-any.whl"
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, data in [*entries, (record_name, record.encode())]:
            _write(archive, name, data)
    os.replace(partial, target)
    return target


def main(argv: list[str] | None = None) -> int:
    """Build into ``--out`` and print where the wheel went and its size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("dist"), help="folder for the wheel (default: %(default)s)")
    args = parser.parse_args(argv)
    wheel = build(args.out)
    print(f"{wheel} ({wheel.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
