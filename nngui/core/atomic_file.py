"""Writing a file atomically: write a temporary file beside it, then rename it over it.

A crash or a full disk in the middle of a save leaves the previous file untouched and no
half-written file behind. Model files and exported CSV tables are saved this way.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from typing import BinaryIO


def write_atomically(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write(f)`` on a temporary file beside ``path``, fsync it, rename it to ``path``.

    Raises what ``write`` or the file system raises; the temporary file is removed then.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = _create_temporary(directory, os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    _fsync_directory(directory)


def _create_temporary(directory: str, base: str) -> tuple[int, str]:
    """Create a new hidden file ``.<base>.<random>.tmp`` with the usual permissions.

    Unlike mkstemp (always mode 0600) this lets the umask decide, as for any saved file.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = os.path.join(directory, f".{base}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # pragma: no cover - 48 random bits collided
            continue


def _fsync_directory(directory: str) -> None:
    """Make the rename durable where the platform allows syncing a directory."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
