"""Reading a CSV file into columns of a kind; hostile files give one clear error each."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nngui.core import csv_table
from nngui.core.csv_dialect import CsvError
from nngui.core.csv_table import MAX_CATEGORIES, read_table


def write(tmp_path, text: str | bytes, name: str = "f.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_columns_have_kinds_missing_counts_and_ranges(tmp_path):
    text = "x;y;colour;note;blank\n1,5;2;red;a;\n3,0;NA;blue;b;\n2,5;4;red;c;\n1;?;red;d;\n"
    table = read_table(write(tmp_path, text))
    assert table.rows == 4
    kinds = {c.name: c.kind for c in table.columns}
    assert kinds == {"x": "numeric", "y": "numeric", "colour": "categorical", "note": "text",
                     "blank": "empty"}  # fmt: skip
    x, y = table.column("x"), table.column("y")
    assert np.array_equal(x.values, [1.5, 3.0, 2.5, 1.0])
    assert y.missing == 2 and np.isnan(y.values[1]) and np.isnan(y.values[3])
    assert y.summary() == {"name": "y", "kind": "numeric", "missing": 2, "distinct": 2,
                           "min": 2.0, "max": 4.0, "mean": 3.0}  # fmt: skip
    colour = table.column("colour")
    assert list(colour.values) == ["red", "blue", "red", "red"] and colour.distinct == 2
    assert colour.summary()["min"] is None


def test_user_markers_and_the_standard_ones_are_missing(tmp_path):
    from nngui.core.csv_dialect import sniff

    path = write(tmp_path, "a,b\n1,-999\nNULL,2\nN/A,nan\n-5,3\n")
    table = read_table(path, sniff(path, missing=("-999",)))
    assert table.column("a").missing == 2 and table.column("b").missing == 2
    assert table.column("a").values[3] == -5.0, "a negative number is no marker"


def test_many_distinct_strings_are_text_not_categories(tmp_path):
    names = [f"name{i}" for i in range(MAX_CATEGORIES + 10)]
    text = "who,v\n" + "".join(f"{n},{i}\n" for i, n in enumerate(names * 3))
    assert read_table(write(tmp_path, text)).column("who").kind == "text"


def test_files_without_a_header_get_numbered_columns(tmp_path):
    table = read_table(write(tmp_path, "1,2\n3,4\n"))
    assert [c.name for c in table.columns] == ["column_1", "column_2"]
    assert not table.dialect.header


def test_unknown_columns_are_named_with_those_there_are(tmp_path):
    table = read_table(write(tmp_path, "a,b\n1,2\n"))
    with pytest.raises(CsvError, match=r"no column 'c' \(its columns: a, b\)"):
        table.column("c")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n", "a header but no data rows"),
        ("a,b\n1,2\n3\n4,5\n", "line 3 has 1 field, not 2 like the first line"),
        ("a,b\n1,2\n3,4,5\n", "line 3 has 3 fields, not 2"),
        ("a,b\n1,2\n\n3\n", "line 4 has 1 field"),
        ('a,b\n"x,1",2\n3,4,5\n', "line 3 has 3 fields"),
    ],
)
def test_bad_tables_name_the_line(tmp_path, text, message):
    with pytest.raises(CsvError, match=message) as info:
        read_table(write(tmp_path, text))
    assert str(tmp_path / "f.csv") in str(info.value)


def test_short_lines_are_found_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_table, "CHUNK", 7)
    text = "a,b\n" + "1,2\n" * 20 + "3\n" + "4,5\n" * 3
    with pytest.raises(CsvError, match="line 22 has 1 field"):
        read_table(write(tmp_path, text))


def test_text_that_cannot_be_decoded_as_the_encoding_given_says_so(tmp_path):
    from nngui.core.csv_dialect import sniff

    path = write(tmp_path, b"a,b\n1,2\n" + b"\xff,3\n")
    with pytest.raises(CsvError, match="cannot be read as utf-8"):
        read_table(path, sniff(path, encoding="utf-8"))


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=400))
def test_random_bytes_give_a_table_or_a_clear_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("random") / "r.csv"
    path.write_bytes(data)
    try:
        table = read_table(path)
    except CsvError as exc:
        assert str(path) in str(exc)
    else:
        assert table.rows >= 1 and all(c.kind in csv_table.KINDS for c in table.columns)


ROWS = "".join(f"{i}.5,{i % 7},{2 * i}\n" for i in range(30))


def test_a_delimiter_ending_every_data_row_moves_nothing(tmp_path):
    text = "a,b,y\n" + ROWS.replace("\n", ",\n")
    table = read_table(write(tmp_path, text))
    assert [c.name for c in table.columns] == ["a", "b", "y"]
    assert table.column("a").values[1] == 1.5 and table.column("y").values[1] == 2.0


def test_a_spreadsheets_sep_line_names_the_delimiter_and_is_skipped(tmp_path):
    table = read_table(write(tmp_path, "sep=;\na;b;y\n" + ROWS.replace(",", ";")))
    assert table.dialect.delimiter == ";" and table.dialect.skip_lines == 1
    assert [c.name for c in table.columns] == ["a", "b", "y"] and table.rows == 30


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a    b    y\n1    2    3\n     5    6\n", "line 3 has 2 fields, not 3"),
        ("body mass  b  y\n1  2  3\n", "line 2 has 3 fields, not 4"),
    ],
)
def test_whitespace_tables_with_a_gap_or_a_spaced_name_are_refused(tmp_path, text, message):
    with pytest.raises(CsvError, match=message):
        read_table(write(tmp_path, text))


def test_infinity_is_no_number(tmp_path):
    with pytest.raises(CsvError, match="line 3, column 'a' holds inf: not a finite number"):
        read_table(write(tmp_path, "a,y\n1,2\ninf,3\n4,5\n"))


def test_a_short_line_is_found_in_a_file_with_quotes(tmp_path):
    text = '"a",b,y\n' + ROWS + "3.1,2\n" + ROWS
    with pytest.raises(CsvError, match="line 32 has 2 fields, not 3"):
        read_table(write(tmp_path, text))


def test_spreadsheet_errors_and_n_a_are_missing_values(tmp_path):
    table = read_table(write(tmp_path, "a,y\n1,2\nn/a,3\n#N/A,4\n#DIV/0!,5\n6,7\n"))
    assert table.column("a").kind == "numeric" and table.column("a").missing == 3


def test_mixed_types_in_a_long_file_warn_nothing(tmp_path, recwarn):
    text = "a,y\n" + "".join(f"{i},{i}\n" for i in range(200_000)) + "oops,1\n"
    table = read_table(write(tmp_path, text))
    assert table.column("a").kind == "text" and not recwarn.list


def test_errors_name_the_line_as_an_editor_numbers_it(tmp_path):
    from nngui.core.csv_dialect import sniff
    from nngui.core.csv_table import line_of_row

    path = write(tmp_path, 'id,a\n"x\ny",1\n\n"z",2\n"w",3\n')
    d = sniff(path)
    assert [line_of_row(str(path), d, r) for r in range(3)] == [2, 5, 6]
    with pytest.raises(CsvError, match="line 4, column 'a' holds inf"):
        read_table(write(tmp_path, "a,y\n1,2\n\ninf,3\n4,5\n", "inf.csv"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a,b\n1,2,3,\n4,5\n", "line 2 has 3 fields, not 2 like the first line"),
        (b"\x01\r,\x01", "line 2 has 2 fields, not 1"),  # found by the random-bytes test
    ],
)
def test_lines_longer_than_the_header_are_refused_not_cut(tmp_path, data, message):
    with pytest.raises(CsvError, match=message):
        read_table(write(tmp_path, data))


def test_a_watched_read_reports_the_bytes_read_and_stops_when_asked(tmp_path):
    from nngui.core.csv_dialect import CancelledError

    path = write(tmp_path, "x,y\n" + "".join(f"{i},{i * 2}\n" for i in range(300_000)))
    size = path.stat().st_size
    seen: list[int] = []
    table = read_table(path, progress=seen.append)
    assert table.rows == 300_000 and table.column("y").values[-1] == 599_998
    assert seen == sorted(seen) and seen[-1] == size and len(seen) > 1
    with pytest.raises(CancelledError):
        read_table(path, progress=seen.append, cancelled=lambda: len(seen) > 2)


def test_a_big_utf8_file_is_read_at_full_speed_with_one_report(tmp_path, monkeypatch):
    path = write(tmp_path, "x,y\n" + "".join(f"{i},{i * 2}\n" for i in range(1000)))
    monkeypatch.setattr(csv_table, "PARALLEL_BYTES", 100)
    seen: list[int] = []
    table = read_table(path, progress=seen.append, cancelled=lambda: True)
    assert table.rows == 1000 and seen == [path.stat().st_size]
    latin = write(tmp_path, ("caf\u00e9,y\n" + "1,2\n3,4\n" * 20).encode("cp1252"), "l.csv")
    assert not csv_table.reads_in_parallel(str(latin), csv_table.sniff(latin))


def test_number_codes_0_1_or_1_2_are_categories_other_numbers_are_not(tmp_path):
    rows = "".join(f"{i % 2},{1 + i % 2},{2 * (i % 2)},{i % 3},{i}\n" for i in range(20))
    table = read_table(write(tmp_path, "a,b,c,d,e\n" + rows + ",,,,20\n"))
    kinds = [c.kind for c in table.columns]
    assert kinds == ["categorical", "categorical", "numeric", "numeric", "numeric"]
    a = table.column("a")
    assert a.numbers and a.distinct == 2 and a.missing == 1
    assert a.texts()[:3].tolist() == ["0", "1", "0"] and a.texts()[-1] is None
    assert a.summary()["min"] is None, "min, max and mean are for numeric columns"
