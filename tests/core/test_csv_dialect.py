"""Sniffing how a CSV file is written: every dialect the reader takes, and the files it refuses."""

from __future__ import annotations

import pytest

from nngui.core import csv_dialect
from nngui.core.csv_dialect import CsvError, Dialect, sniff


def write(tmp_path, text: str | bytes, name: str = "f.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("text", "delimiter", "decimal", "header"),
    [
        ("a,b,y\n1,2,3\n4.5,5,9\n", ",", ".", True),
        ("a;b;y\n1,5;2;3\n4,25;5;9\n", ";", ",", True),
        ("a\tb\ty\n1.5\t2\t3\n4\t5\t9\n", "\t", ".", True),
        ("a|b|y\n1|2|3\n4|5|9\n", "|", ".", True),
        ("a  b   y\n1 2 3\n 4   5 9\n", " ", ".", True),
        ("1,2,3\n4,5,9\n7,8,15\n", ",", ".", False),
        ("1;2,5\n3;4,5\n", ";", ",", False),
        ("name,colour\nalice,red\nbob,blue\n", ",", ".", True),
        ("x,y\n-1e-3,2E5\n+3,.5\n", ",", ".", True),
    ],
)
def test_each_dialect_is_found(tmp_path, text, delimiter, decimal, header):
    d = sniff(write(tmp_path, text))
    assert (d.delimiter, d.decimal, d.header) == (delimiter, decimal, header)


def test_quotes_hold_delimiters_and_single_quotes_are_found(tmp_path):
    d = sniff(write(tmp_path, 'name,v\n"Smith, J",1\n"Doe, A",2\n'))
    assert (d.delimiter, d.quote) == (",", '"')
    d = sniff(write(tmp_path, "name;v\n'Smith; J';1\n'Doe';2\n"))
    assert (d.delimiter, d.quote) == (";", "'")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbfa,b\n1,2\n", "utf-8-sig"),
        ("café,b\n1,2\n".encode(), "utf-8"),
        ("café,€\n1,2\n".encode("cp1252"), "cp1252"),
        (b"caf\x81,b\n1,2\n", "latin-1"),  # 0x81 is undefined in cp1252
    ],
)
def test_the_encoding_is_found(tmp_path, data, encoding):
    assert sniff(write(tmp_path, data)).encoding == encoding


def test_every_setting_can_be_given(tmp_path):
    path = write(tmp_path, "1;2\n3;4\n")
    d = sniff(path, delimiter=";", decimal=",", header=True, encoding="latin-1", missing=("x",))
    assert d == Dialect("latin-1", ";", '"', ",", True, ("x",))
    assert "x" in d.markers and "NA" in d.markers


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"a,b\x00\x01\n", "not a text file"),
        ("a,b\n".encode("utf-16"), "not a text file"),
    ],
)
def test_files_that_are_no_text_are_refused(tmp_path, data, message):
    with pytest.raises(CsvError, match=message) as info:
        sniff(write(tmp_path, data))
    assert str(tmp_path / "f.csv") in str(info.value)


def test_a_huge_single_line_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_dialect, "SAMPLE_BYTES", 1000)
    with pytest.raises(CsvError, match="line 1 is longer than 1,000 bytes"):
        sniff(write(tmp_path, "1," * 5000))


def test_a_missing_file_names_itself(tmp_path):
    with pytest.raises(CsvError, match="cannot read it"):
        sniff(tmp_path / "nowhere.csv")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"delimiter": ":"}, "delimiter must be one of"),
        ({"decimal": ";"}, "decimal mark must be"),
        ({"delimiter": ",", "decimal": ","}, "cannot both be ','"),
        ({"quote": "`"}, "quote character"),
        ({"encoding": "no-such-codec"}, "unknown encoding"),
    ],
)
def test_unusable_settings_are_refused(settings, message):
    with pytest.raises(CsvError, match=message):
        Dialect(**settings)
