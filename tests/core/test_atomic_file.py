"""write_atomically: the old file survives a failed write, and no temporary file is left."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from nngui.core.atomic_file import TEMP_PATTERN, write_atomically


def test_writes_and_replaces(tmp_path) -> None:
    path = tmp_path / "out.bin"
    write_atomically(path, lambda f: f.write(b"one"))
    write_atomically(str(path), lambda f: f.write(b"two"))
    assert path.read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_failure_in_the_writer_keeps_the_old_file(tmp_path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")

    def broken(f) -> None:
        f.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomically(path, broken)
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_new_file_follows_the_umask(tmp_path) -> None:
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "out.bin", lambda f: f.write(b"x"))
    finally:
        os.umask(old)
    assert (tmp_path / "out.bin").stat().st_mode & 0o777 == 0o644


def test_target_name_of_255_characters_saves(tmp_path) -> None:
    path = tmp_path / ("m" * 251 + ".npz")
    write_atomically(path, lambda f: f.write(b"x"))
    assert path.read_bytes() == b"x"
    assert os.listdir(tmp_path) == [path.name]


def dead_pid() -> int:
    """The pid of a child that has exited and been reaped (so no process has it now)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    pid = child.pid
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    return pid


@pytest.mark.skipif(os.name == "nt", reason="stale files are only detected on POSIX")
def test_stale_temporary_of_a_dead_writer_is_removed_live_ones_stay(tmp_path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = tmp_path / f".nngui-{dead_pid()}-0123456789ab.tmp"
        mine = tmp_path / f".nngui-{os.getpid()}-0123456789ab.tmp"
        theirs = tmp_path / f".nngui-{child.pid}-0123456789ab.tmp"
        other = tmp_path / ".notes.0123456789ab.tmp"
        for p in (stale, mine, theirs, other):
            p.write_bytes(b"partial")
        write_atomically(tmp_path / "out.bin", lambda f: f.write(b"x"))
        assert sorted(os.listdir(tmp_path)) == sorted(
            ["out.bin", mine.name, theirs.name, other.name]
        )
    finally:
        child.kill()
        child.wait()


def test_temporary_name_carries_the_pid(tmp_path) -> None:
    seen = []
    write_atomically(tmp_path / "out.bin", lambda f: seen.extend(os.listdir(tmp_path)))
    assert len(seen) == 1 and TEMP_PATTERN.fullmatch(seen[0])
    assert seen[0].startswith(f".nngui-{os.getpid()}-")
