"""write_atomically: the old file survives a failed write, and no temporary file is left."""

from __future__ import annotations

import os

import pytest

from nngui.core.atomic_file import write_atomically


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
