"""``nngui data FILE``: a CSV file described as a table or as one JSON object; bad files exit 2."""

from __future__ import annotations

import json

import pytest

from nngui.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_every_field_the_issue_names(tmp_path, capsys):
    path = tmp_path / "m.csv"
    path.write_text("x;y;colour;blank\n1,5;2;red;\n3,0;NA;blue;\n2,5;4;red;\n1;?;red;\n")
    code, out, err = run(capsys, "data", str(path), "--json")
    assert code == 0 and err == ""
    d = json.loads(out)
    assert {k: d[k] for k in ("rows", "delimiter", "decimal", "encoding", "header")} == {
        "rows": 4, "delimiter": ";", "decimal": ",", "encoding": "utf-8", "header": True,
    }  # fmt: skip
    assert d["columns"][1] == {"name": "y", "kind": "numeric", "missing": 2, "distinct": 2,
                               "min": 2.0, "max": 4.0, "mean": 3.0}  # fmt: skip
    assert [c["kind"] for c in d["columns"]] == ["numeric", "numeric", "categorical", "empty"]
    assert d["columns"][2]["mean"] is None


def test_the_table_names_how_the_file_is_written(tmp_path, capsys):
    path = tmp_path / "t.tsv"
    path.write_text("1\t2\tx\n3\t4\ty\n5\t6\tz\n")
    code, out, _ = run(capsys, "data", str(path))
    assert code == 0
    first = out.splitlines()[0]
    assert first.endswith(
        "3 rows, 3 columns; tab-separated, decimal mark '.', utf-8, no header line"
    )
    assert "column_1" in out and "not usable as inputs or targets (text or empty): column_3" in out


def test_reader_settings_override_what_is_found(tmp_path, capsys):
    path = tmp_path / "h.csv"
    path.write_text("1;2,5\n3;4,5\n")
    code, out, _ = run(capsys, "data", str(path), "--delimiter", "semicolon", "--decimal", ",",
                       "--header", "--missing", "n/a,-999", "--json")  # fmt: skip
    d = json.loads(out)
    assert code == 0 and d["header"] and d["rows"] == 1
    assert [c["name"] for c in d["columns"]] == ["1", "2,5"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"a,b\n", "a header but no data rows"),
        (b"\x00\x01\x02binary", "not a text file"),
        (b"a,b\n1,2\n3\n", "line 3 has 1 field"),
    ],
)
def test_bad_files_exit_2_with_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    code, out, err = run(capsys, "data", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and str(path) in err


def test_a_missing_file_and_a_bad_option_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, "data", str(tmp_path / "none.csv"))
    assert code == 2 and "none.csv" in err
    code, _, err = run(capsys, "data", str(tmp_path / "none.csv"), "--delimiter", "x")
    assert code == 2 and "not a delimiter" in err
