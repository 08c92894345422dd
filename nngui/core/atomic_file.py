"""Writing a file atomically: write a temporary file beside it, then rename it over it.

A crash or a full disk in the middle of a save leaves the previous file untouched and no
half-written file behind. Model files and exported CSV tables are saved this way.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable
from typing import BinaryIO

#: Temporary files are ``.nngui-<pid>-<12 hex digits>.tmp``: short enough beside any legal name.
TEMP_PATTERN = re.compile(r"\.nngui-([0-9]{1,10})-[0-9a-f]{12}\.tmp")


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> None:
    """Call ``write(f)`` on a temporary file beside ``path``, fsync it, rename it to ``path``.

    Raises what ``write`` or the file system raises; the temporary file is removed then.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    _remove_stale_temporaries(directory)
    fd, tmp = _create_temporary(directory)
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


def _create_temporary(directory: str) -> tuple[int, str]:
    """Create a new hidden file ``.nngui-<pid>-<random>.tmp`` with the usual permissions.

    Unlike mkstemp (always mode 0600) this lets the umask decide, as for any saved file.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = os.path.join(directory, f".nngui-{os.getpid()}-{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # pragma: no cover - 48 random bits collided
            continue


def _remove_stale_temporaries(directory: str) -> None:
    """Remove temporary files left in ``directory`` by writers whose process no longer exists."""
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        match = TEMP_PATTERN.fullmatch(name)
        if match and not _process_exists(int(match[1])):
            with contextlib.suppress(OSError):
                os.remove(os.path.join(directory, name))


def _process_exists(pid: int) -> bool:
    """Whether a process ``pid`` exists (one we may not signal still exists)."""
    if pid <= 0 or os.name == "nt":  # on Windows os.kill(pid, 0) would end the process
        return True  # leave the file alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True
    return True


def _fsync_directory(directory: str) -> None:
    """Make the rename durable where the platform allows syncing a directory."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
