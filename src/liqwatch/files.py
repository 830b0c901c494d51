"""Writing files safely: a unique temporary file in the target folder, then an atomic rename.

A reader never sees a half-written file, a failed write leaves the old file as it was, and a
name planted beside the target (a symlink at ``report.html.tmp``) is never followed: the
temporary file is created with ``O_EXCL`` under a random name by :mod:`tempfile`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["atomic_write", "package_path", "write_bytes", "write_text"]


def atomic_write(path: Path | str, write: Callable[[Path], object]) -> Path:
    """Create ``path`` through ``write(tmp)``, which writes the content to the file ``tmp``.

    ``tmp`` is a new, empty file in the same folder (so the final rename stays on one file
    system); it is moved over ``path`` only when ``write`` returns, and removed otherwise.
    The folder must exist. Returns ``path``.
    """
    target = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.chmod(target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_UMASK)
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return target


def package_path(relative: str) -> Path:
    """A data file shipped inside the liqwatch package (``"stress/data/levels.toml"``)."""
    return Path(__file__).resolve().parent / relative


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding=encoding))


def write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def _read_umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


#: The process umask, read once at import (reading it means setting it, which is not
#: thread-safe later on).
_UMASK = _read_umask()
