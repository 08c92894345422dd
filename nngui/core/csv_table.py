"""A CSV file read as a table of named columns, each of a kind: numeric, categorical, text, empty.

``read_table(path, dialect)`` parses the file with pandas' C reader (the fastest well-kept CSV
parser for Python: docs/performance.md measures it against ``numpy.loadtxt``) and keeps one
NumPy array per column: float64 (NaN where a value is missing) for numeric columns, the strings
for the others. A column is

- numeric when every value present is a number;
- categorical when it holds strings with few distinct values (at most MAX_CATEGORIES, and at
  most half as many as the values present), or just the numbers 0 and 1, or 1 and 2 (codes
  such as sex or smoker, as Orange's importer takes them): one-hot inputs later; such number
  codes keep their float values (``Column.numbers``) and may still be numeric targets;
- text when it holds other strings (names, free text): not usable, noted;
- empty when no row holds a value.

Bad files raise CsvError naming the file and, where it applies, the line: a header with no data
rows, ragged rows, text that cannot be decoded.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from nngui.core.csv_dialect import DELIMITER_NAMES, CancelledError, CsvError, Dialect, sniff
from nngui.core.run_text import plural

#: A string column with more distinct values than this is text, not categories.
MAX_CATEGORIES = 50
KINDS = ("numeric", "categorical", "text", "empty")
#: Bytes read at a time when checking that every line has as many fields as the header.
CHUNK = 1 << 24


@dataclass(frozen=True, eq=False)
class Column:
    """One column: its name, kind and values (float64 with NaN, or strings with None)."""

    name: str
    kind: str
    values: np.ndarray
    missing: int

    @property
    def numbers(self) -> bool:
        """Whether its values are numbers (float64, NaN where missing)."""
        return bool(self.values.dtype.kind == "f")

    def texts(self) -> np.ndarray:
        """Its values as text (None where missing): numbers written as integers when whole."""
        if not self.numbers:
            return self.values
        return np.array([number_text(v) for v in self.values], dtype=object)

    @cached_property
    def distinct(self) -> int:
        """How many distinct values are present (counted when first asked: it takes time)."""
        if self.kind == "empty":
            return 0
        if self.numbers:
            present = self.values[~np.isnan(self.values)]
            return len(np.unique(present))
        return len({v for v in self.values if v is not None})

    def summary(self) -> dict[str, Any]:
        """The column as ``nngui data --json`` prints it."""
        numeric = self.kind == "numeric" and self.missing < len(self.values)
        present = self.values[~np.isnan(self.values)] if numeric else None
        return {
            "name": self.name, "kind": self.kind, "missing": self.missing,
            "distinct": self.distinct,
            "min": float(present.min()) if present is not None else None,
            "max": float(present.max()) if present is not None else None,
            "mean": float(present.mean()) if present is not None else None,
        }  # fmt: skip


def number_text(v: float) -> str | None:
    """A number as a category's text: "1" for 1.0, "0.5" for 0.5; None for NaN."""
    if np.isnan(v):
        return None
    return str(int(v)) if float(v).is_integer() else f"{v:.15g}"


@dataclass(frozen=True, eq=False)
class Table:
    """A file's columns, as read with ``dialect``."""

    path: str
    dialect: Dialect
    columns: tuple[Column, ...]

    @property
    def rows(self) -> int:
        """Data rows (the header aside)."""
        return len(self.columns[0].values) if self.columns else 0

    def column(self, name: str) -> Column:
        """The column called ``name``; raises CsvError naming the columns there are."""
        for column in self.columns:
            if column.name == name:
                return column
        names = ", ".join(c.name for c in self.columns)
        raise CsvError(f"{self.path}: no column {name!r} (its columns: {names})")

    def summary(self) -> dict[str, Any]:
        """The file as ``nngui data --json`` prints it."""
        d = self.dialect
        return {
            "rows": self.rows, "delimiter": d.delimiter, "decimal": d.decimal,
            "encoding": d.encoding, "header": d.header,
            "columns": [c.summary() for c in self.columns],
        }  # fmt: skip


#: Files from this size up, in UTF-8, pandas (3.1 and later) reads with several threads.
PARALLEL_BYTES = 5 * 1024 * 1024


def reads_in_parallel(path: str, d: Dialect) -> bool:
    """Whether pandas reads ``path`` with several threads (a big UTF-8 file given by name):
    then it is read by name, at full speed, rather than followed byte by byte."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return False
    return d.encoding in ("utf-8", "utf-8-sig") and size >= PARALLEL_BYTES


class _WatchedFile(io.RawIOBase):
    """A binary file whose reads report the bytes read so far and stop when cancelled."""

    def __init__(
        self, path: str, progress: Callable[[int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:  # fmt: skip
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 (closed by close())
        self._done = 0
        self._progress = progress
        self._cancelled = cancelled

    def readable(self) -> bool:
        """Always: it is read from."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Read into ``buffer``; raises CancelledError once the caller asked to stop."""
        if self._cancelled is not None and self._cancelled():
            raise CancelledError
        n = self._file.readinto(buffer)
        self._done += n
        if self._progress is not None:
            self._progress(self._done)
        return n

    def close(self) -> None:
        """Close the file."""
        self._file.close()
        super().close()


def read_table(
    path: str | os.PathLike[str], dialect: Dialect | None = None,
    progress: Callable[[int], None] | None = None, cancelled: Callable[[], bool] | None = None,
) -> Table:  # fmt: skip
    """Read ``path`` (sniffing how it is written unless ``dialect`` is given).

    ``progress(n)`` hears the bytes read so far, now and then; ``cancelled()`` is asked as
    often, and True stops the read with CancelledError. Except for a file that
    ``reads_in_parallel``: that is read at full speed, with one report at the end and no stop
    on the way (following the read would take a file object, and make pandas read it serially
    at half the speed).
    """
    import pandas as pd

    name = os.fspath(path)
    d = dialect if dialect is not None else sniff(name)
    if d.delimiter == " ":  # a blank cell would move the values after it: refuse it
        check_whitespace_widths(name, d)
    watched = (progress is not None or cancelled is not None) and not reads_in_parallel(name, d)
    source: Any = name
    if watched:
        source = io.BufferedReader(_WatchedFile(name, progress, cancelled), 1 << 20)
    try:
        with warnings.catch_warnings():  # mixed types are read as text and reported as such
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            # More fields than the header would be dropped with a warning: refuse instead.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                source, sep=r"\s+" if d.delimiter == " " else d.delimiter, engine="c",
                quotechar=d.quote, decimal=d.decimal, encoding=d.encoding,
                header=0 if d.header else None, na_values=["", *d.markers],
                keep_default_na=False, skipinitialspace=True, skip_blank_lines=True,
                skiprows=d.skip_lines, index_col=False,
            )  # fmt: skip
    except pd.errors.EmptyDataError:
        raise CsvError(f"{name}: the file is empty") from None
    except pd.errors.ParserWarning:
        raise CsvError(f"{name}: {long_line(name, d)}") from None
    except pd.errors.ParserError as exc:
        with open(name, "rb") as f:
            hint = (
                "; the first line starts with '#': remove comment lines"
                if f.read(1) == b"#"
                else ""
            )
        raise CsvError(f"{name}: {parser_problem(str(exc))}{hint}") from None
    except UnicodeDecodeError as exc:
        raise CsvError(
            f"{name}: byte {exc.object[exc.start]:#04x} cannot be read as {d.encoding}; "
            "give the file's encoding (--encoding)"
        ) from None
    finally:
        if watched:
            source.close()
    if progress is not None and not watched:
        progress(os.path.getsize(name))
    if len(frame) == 0:
        raise CsvError(f"{name}: a header but no data rows")
    if frame.iloc[:, -1].isna().any():  # perhaps a line with too few fields: look closer
        check_widths(name, d)
    names = header_names(list(frame.columns), d.header)
    columns = tuple(_column(n, frame[c]) for n, c in zip(names, frame.columns, strict=True))
    for c in columns:
        if c.kind == "numeric" and np.isinf(c.values).any():
            row = int(np.flatnonzero(np.isinf(c.values))[0])
            raise CsvError(
                f"{name}: line {line_of_row(name, d, row)}, column {c.name!r} holds "
                f"{c.values[row]:g}: not a finite number (leave the cell empty if it is missing, "
                f"or count {c.values[row]:g} as missing: --missing {c.values[row]:g})"
            )
    return Table(name, d, columns)


def records(path: str, d: Dialect) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record of the file (the header too) with the line it starts on (from
    1, as an editor numbers them: blank lines and quoted fields spanning lines count)."""
    with open(path, encoding=d.encoding, errors="replace", newline="") as f:
        for _ in range(d.skip_lines):
            f.readline()
        numbered: Iterator[tuple[int, list[str]]]
        if d.delimiter == " ":
            numbered = ((n, line.split()) for n, line in enumerate(f, start=1 + d.skip_lines))
        else:
            numbered = _starting_lines(csv.reader(f, delimiter=d.delimiter, quotechar=d.quote),
                                       d.skip_lines)  # fmt: skip
        for number, record in numbered:
            if record and "".join(record).strip():
                yield number, record


def _starting_lines(reader: Any, skipped: int) -> Iterator[tuple[int, list[str]]]:
    """Each record of a csv reader with the line it starts on."""
    end = 0
    for record in reader:
        start, end = end + 1, reader.line_num
        yield start + skipped, record


def line_of_row(path: str, d: Dialect, row: int) -> int:
    """The line of the file where data row ``row`` (from 0) starts."""
    for index, (number, _) in enumerate(records(path, d), start=-int(d.header)):
        if index == row:
            return number
    return row + 1 + d.header + d.skip_lines  # (not found: the file changed meanwhile)


def long_line(path: str, d: Dialect) -> str:
    """Which line holds more (non-empty) fields than the first line, in words."""
    width = None
    for number, record in records(path, d):
        while record and not record[-1].strip():
            record = record[:-1]  # (a delimiter ending the line adds no field)
        if width is None:
            width = len(record)
        elif len(record) > width:
            return (
                f"line {number} has {plural(len(record), 'field')}, not {width} like the first line"
            )
    return "some lines have more fields than the first line"


def check_whitespace_widths(path: str, d: Dialect) -> None:
    """Refuse a whitespace-separated line with another number of fields than the first."""
    width = None
    for number, record in records(path, d):
        if width is None:
            width = len(record)
        elif len(record) != width:
            raise CsvError(
                f"{path}: line {number} has {plural(len(record), 'field')}, not {width} like "
                "the first line (whitespace-separated: an empty cell or a name with a space "
                "moves the values after it; use another delimiter)"
            )


def header_names(raw: list[object], header: bool) -> list[str]:
    """Column names: the header's (blank ones numbered), else column_1, column_2 …"""
    names = []
    for i, n in enumerate(raw, start=1):
        text = str(n).strip()
        if not header or not text or text.startswith("Unnamed: "):
            text = f"column_{i}"
        names.append(text)
    return names


def _column(name: str, series: Any) -> Column:
    """One pandas column as a Column of its kind."""
    import pandas as pd

    missing = int(series.isna().sum())
    n = len(series)
    if missing == n:
        return Column(name, "empty", np.full(n, np.nan), missing)
    dtype = series.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        kind = "categorical" if number_codes(values) else "numeric"
        return Column(name, kind, values, missing)
    text = series.astype("string").str.strip()
    values = text.to_numpy(dtype=object, na_value=None)
    distinct = int(text.nunique())
    present = n - missing
    kind = "categorical" if distinct <= MAX_CATEGORIES and 2 * distinct <= present else "text"
    if kind == "categorical" and formatted_numbers(values) is not None:
        kind = "text"  # "1,200" and "1,500" are numbers written for people, not categories
    return Column(name, kind, values, missing)


#: Numbers written for people: thousands separators, per cent, currency.
FORMATTED = (
    (re.compile(r"^[-+]?\d{1,3}([,.\u00a0\u202f ]\d{3})+([.,]\d+)?$"), "thousands separators"),
    (re.compile(r"^[-+]?\d+([.,]\d+)?\s*%$"), "per cent signs"),
    (re.compile(r"^[-+]?[€$£¥]\s*\d|\d\s*[€$£¥]$"), "currency signs"),
)


def formatted_numbers(values: np.ndarray) -> tuple[str, str] | None:
    """(an example, what they are written with) when at least half of the first thousand
    values present are numbers written for people ("1,234.5", "12 %", "€3"); else None."""
    sample = [str(v).strip() for v in values[:1000] if v is not None]
    for pattern, what in FORMATTED:
        hits = [v for v in sample if pattern.search(v)]
        if sample and len(hits) >= len(sample) / 2:
            return hits[0], what
    return None


def number_codes(values: np.ndarray) -> bool:
    """Whether the values present are exactly 0 and 1, or 1 and 2 (codes, not measurements);
    a pass over the column only when its smallest and largest values are such a pair."""
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    if (lo, hi) not in ((0.0, 1.0), (1.0, 2.0)):
        return False
    return bool(((values == lo) | (values == hi) | np.isnan(values)).all())


def parser_problem(message: str) -> str:
    """pandas' tokenizer error as a sentence with the line number."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if found:
        want, line, saw = found.groups()
        return f"line {line} has {saw} fields, not {want} like the first line"
    return " ".join(message.replace("Error tokenizing data. C error:", "").split())


def check_widths(path: str, d: Dialect) -> None:
    """Refuse a line with fewer fields than the first (pandas would fill them in silently).

    Only needed when the last column misses values (what a short line leaves). Counted on the
    raw bytes with NumPy, a chunk at a time; chunks with quotes (a quoted field may hold the
    delimiter) with the csv module. Lines with too many fields are left to the parser, which
    names them.
    """
    if d.delimiter == " ":
        return
    sep, quote = ord(d.delimiter), ord(d.quote)
    width: int | None = None
    line_no, tail = 0, b""
    with open(path, "rb") as f:
        for _ in range(d.skip_lines):  # the lines before the table
            f.readline()
            line_no += 1
        while chunk := f.read(CHUNK):
            data = tail + chunk
            cut = max(data.rfind(b"\n"), data.rfind(b"\r"))
            if cut < 0:
                tail = data
                continue
            data, tail = data[: cut + 1], data[cut + 1 :]
            width, line_no = _check_chunk(path, data, sep, quote, width, line_no)
    if tail.strip():
        _check_chunk(path, tail + b"\n", sep, quote, width, line_no)


def _check_quoted(
    path: str, data: bytes, sep: int, quote: int, width: int | None, line_no: int
) -> tuple[int | None, int]:
    """``_check_chunk`` for a chunk with quotes, with the csv module (slower, exact)."""
    text = data.decode("latin-1")  # one character per byte: delimiters and quotes stay put
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=chr(sep), quotechar=chr(quote))
    for row in rows:
        if not row or not "".join(row).strip():
            continue
        if width is None:
            width = len(row)
        elif len(row) < width:
            raise CsvError(
                f"{path}: line {line_no + rows.line_num} has {plural(len(row), 'field')}, not "
                f"{width} like the first line ({DELIMITER_NAMES[chr(sep)]}-separated)"
            )
    return width, line_no + text.count("\n")


def _check_chunk(
    path: str, data: bytes, sep: int, quote: int, width: int | None, line_no: int
) -> tuple[int | None, int]:
    """Check the complete lines in ``data``; returns the width and the lines counted so far."""
    newline = b"\n" if b"\n" in data else b"\r"
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw == newline[0])
    if data.find(bytes([quote])) >= 0:  # a quoted field may hold a delimiter or a newline
        return _check_quoted(path, data, sep, quote, width, line_no)
    starts = np.concatenate(([0], ends[:-1] + 1))
    seps = np.flatnonzero(raw == sep)
    fields = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
    length = ends - starts
    blank = (length == 0) | ((length == 1) & (raw[np.minimum(starts, len(raw) - 1)] == 13))
    nonblank = np.flatnonzero(~blank)
    if len(nonblank) == 0:
        return width, line_no + len(ends)
    if width is None:
        width = int(fields[nonblank[0]])
    short = nonblank[fields[nonblank] < width]
    short = np.array([i for i in short if data[starts[i] : ends[i]].strip()], dtype=int)
    if len(short):  # (a line of spaces is a blank line)
        i = int(short[0])
        raise CsvError(
            f"{path}: line {line_no + i + 1} has {plural(int(fields[i]), 'field')}, not {width} "
            f"like the first line ({DELIMITER_NAMES[chr(sep)]}-separated)"
            + _comment_hint(data, starts, nonblank)
        )
    return width, line_no + len(ends)


def _comment_hint(data: bytes, starts: np.ndarray, nonblank: np.ndarray) -> str:
    """A hint when the first line is a comment (nngui reads none)."""
    first = data[int(starts[nonblank[0]]) :][:1]
    return "; the first line starts with '#': remove comment lines" if first == b"#" else ""
