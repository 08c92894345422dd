"""How a CSV file is written: encoding, delimiter, quote, decimal mark, header; found by looking.

``sniff(path)`` reads the start of a file (at most SAMPLE_BYTES) and decides each setting, unless
the caller fixes it (``overrides``):

- encoding: UTF-8 with a byte-order mark, else UTF-8, else cp1252, else latin-1 (which decodes
  anything); a file holding NUL bytes is not text (UTF-16 included) and is refused;
- delimiter: comma, semicolon, tab, pipe or runs of whitespace: the one that splits the sample's
  lines into the same number (two or more) of fields, the most of them numbers;
- quote: ``"`` unless fields are quoted with ``'``;
- decimal mark: ``,`` when the delimiter is not a comma and numbers are written ``3,14``;
- header: the first line is a header when a column holds numbers below a first line that is
  not one, or when no line holds numbers at all (names above text).

Every refusal is a CsvError whose message names the file and, where it applies, the line.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

#: How much of a file sniffing reads.
SAMPLE_BYTES = 1 << 20
#: How many lines of the sample are looked at for the decimal mark, and for the rest.
SAMPLE_LINES = 5000
SHAPE_LINES = 200
#: The delimiters tried; " " stands for runs of whitespace.
DELIMITERS = (",", ";", "\t", "|", " ")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", " ": "whitespace"}
#: Markers of a missing value (besides an empty field), and those given by the user; the
#: spreadsheet errors (#N/A, #DIV/0! …) mark missing values too.
MISSING = ("NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "?", "-", "#N/A", "#NA",
           "#DIV/0!", "#VALUE!", "#NULL!", "#NUM!", "#REF!", "#NAME?")  # fmt: skip
#: File names taken for data tables (the window's drops and ``nngui DATA.csv``).
DATA_SUFFIXES = (".csv", ".tsv", ".tab", ".txt", ".dat")
ENCODINGS = ("utf-8-sig", "utf-8", "cp1252", "latin-1")

_NUMBER = {
    ".": re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"),
    ",": re.compile(r"^[-+]?(\d+,?\d*|,\d+)([eE][-+]?\d+)?$"),
}


class CsvError(ValueError):
    """A file that cannot be read as a table; the message says which file, where and why."""


class CancelledError(Exception):
    """The caller asked a long read or write to stop; nothing more is done."""


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is written (see the module docstring); ``missing``: extra markers."""

    encoding: str = "utf-8"
    delimiter: str = ","
    quote: str = '"'
    decimal: str = "."
    header: bool = True
    missing: tuple[str, ...] = ()
    #: Lines before the table to skip (a spreadsheet's "sep=;" line).
    skip_lines: int = 0

    def __post_init__(self) -> None:
        if self.delimiter not in DELIMITERS:
            names = ", ".join(repr(d) for d in DELIMITERS)
            raise CsvError(f"the delimiter must be one of {names}, not {self.delimiter!r}")
        if self.decimal not in (".", ","):
            raise CsvError(f"the decimal mark must be '.' or ',', not {self.decimal!r}")
        if self.decimal == self.delimiter:
            raise CsvError("the decimal mark and the delimiter cannot both be ','")
        if self.quote not in ('"', "'"):
            raise CsvError(f"the quote character must be \" or ', not {self.quote!r}")
        try:
            "".encode(self.encoding)
        except LookupError:
            raise CsvError(f"unknown encoding {self.encoding!r}") from None

    @property
    def markers(self) -> tuple[str, ...]:
        """Every marker of a missing value (the empty field aside)."""
        return (*MISSING, *(m for m in self.missing if m not in MISSING))

    def describe(self) -> dict[str, Any]:
        """The settings as plain values (for JSON and the model file)."""
        return {
            "encoding": self.encoding, "delimiter": self.delimiter, "quote": self.quote,
            "decimal": self.decimal, "header": self.header, "missing": list(self.missing),
            "skip_lines": self.skip_lines,
        }  # fmt: skip


def read_sample(path: str | os.PathLike[str]) -> bytes:
    """The first SAMPLE_BYTES of ``path``; refuses an empty file or one that is not text."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            sample = f.read(SAMPLE_BYTES)
            longer = bool(f.read(1))
    except OSError as exc:
        raise CsvError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    if not sample.strip():
        raise CsvError(f"{name}: the file is empty")
    if b"\0" in sample:
        raise CsvError(
            f"{name}: not a text file (it holds NUL bytes; a UTF-16 file must be saved as UTF-8)"
        )
    if longer and b"\n" not in sample and b"\r" not in sample:
        raise CsvError(f"{name}: line 1 is longer than {SAMPLE_BYTES:,} bytes: not a table")
    return sample


def detect_encoding(sample: bytes, complete: bool) -> str:
    """The encoding the sample decodes in (``complete``: it is the whole file)."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of a partial sample is no evidence.
            if encoding == "utf-8" and not complete and exc.start >= len(sample) - 3:
                return encoding
    return "latin-1"


def sample_lines(text: str) -> list[str]:
    """The non-blank lines of the sample (the last one dropped if it may be cut)."""
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[:SAMPLE_LINES]


def split_line(line: str, delimiter: str, quote: str) -> list[str]:
    """The fields of one line."""
    if delimiter == " ":
        return line.split()
    return next(csv.reader([line], delimiter=delimiter, quotechar=quote, skipinitialspace=True))


def is_number(field: str, decimal: str) -> bool:
    """Whether ``field`` is a number written with ``decimal`` as its decimal mark."""
    return bool(_NUMBER[decimal].match(field.strip()))


def _score(lines: list[str], delimiter: str, quote: str) -> tuple[float, float, int]:
    """How well ``delimiter`` splits ``lines``: (share of lines with the usual field count,
    share of number fields, that count); (0, 0, 0) if it does not split them."""
    rows = [split_line(line, delimiter, quote) for line in lines]
    counts = Counter(len(r) for r in rows)
    width, n = counts.most_common(1)[0]
    if width < 2:
        return 0.0, 0.0, 0
    fields = [f for r in rows[1:] or rows for f in r]
    decimal = "," if delimiter != "," else "."
    numbers = sum(is_number(f, ".") or is_number(f, decimal) for f in fields)
    return n / len(rows), numbers / max(1, len(fields)), width


def detect_delimiter(lines: list[str], quote: str) -> str:
    """The delimiter that splits ``lines`` most consistently into the most numbers."""
    scores = {d: _score(lines, d, quote) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (round(scores[d][0], 2) >= 0.9, scores[d]))
    if scores[best][2] < 2:
        return ","  # one column: any delimiter reads it
    return best


def detect_quote(text: str) -> str:
    """``'`` if fields are quoted with it (and not with ``"``), else ``"``."""
    single = len(re.findall(r"(^|[,;\t|])'[^'\n]*'(?=$|[,;\t|])", text, flags=re.M))
    double = text.count('"')
    return "'" if single and not double else '"'


def detect_decimal(rows: list[list[str]], delimiter: str) -> str:
    """``,`` when the delimiter is not a comma and the numbers are written with one."""
    if delimiter == ",":
        return "."
    fields = [f for r in rows for f in r]
    comma = sum(is_number(f, ",") and "," in f for f in fields)
    point = sum(is_number(f, ".") and "." in f for f in fields)
    return "," if comma > point else "."


def detect_header(rows: list[list[str]], decimal: str, markers: tuple[str, ...]) -> bool:
    """Whether the first row names the columns (see the module docstring)."""
    if len(rows) < 2:
        return not all(is_number(f, decimal) for f in rows[0])
    first, rest = rows[0], rows[1:]
    missing = {"", *markers}
    any_number = False
    for j, name in enumerate(first):
        values = [r[j] for r in rest if j < len(r) and r[j].strip() not in missing]
        numbers = sum(is_number(v, decimal) for v in values)
        any_number |= numbers > 0
        numeric_below = bool(values) and numbers >= 0.9 * len(values)
        if numeric_below and not is_number(name, decimal) and name.strip() not in missing:
            return True
    return not any_number and not any(is_number(f, decimal) for f in first)


def sniff(path: str | os.PathLike[str], **overrides: Any) -> Dialect:
    """How ``path`` is written; ``overrides`` (Dialect fields) fix any of the settings."""
    name = os.fspath(path)
    unknown = set(overrides) - {"encoding", "delimiter", "quote", "decimal", "header", "missing"}
    if unknown:
        raise TypeError(f"unknown reader settings: {', '.join(sorted(unknown))}")
    fixed = {k: v for k, v in overrides.items() if v is not None}
    sample = read_sample(name)
    complete = os.path.getsize(name) <= len(sample)
    encoding = fixed.get("encoding") or detect_encoding(sample, complete)
    try:
        text = sample.decode(encoding, errors="strict" if complete else "ignore")
    except UnicodeDecodeError as exc:
        raise CsvError(
            f"{name}: byte {exc.object[exc.start]:#04x} at position {exc.start:,} cannot be "
            f"read as {encoding}; give the file's encoding (--encoding), e.g. cp1252"
        ) from None
    except LookupError:
        raise CsvError(f"unknown encoding {encoding!r}") from None
    text = text.lstrip("\ufeff")
    lines = sample_lines(text if complete else text[: text.rfind("\n") + 1] or text)
    if not lines:
        raise CsvError(f"{name}: the file is empty")
    skip = 0
    excel = re.fullmatch(r"\s*sep=(.)\s*", lines[0])  # a spreadsheet names its delimiter
    if excel and excel.group(1) in DELIMITERS and len(lines) > 1:
        fixed.setdefault("delimiter", excel.group(1))
        lines, skip = lines[1:], 1
    head = lines[:SHAPE_LINES]
    quote = fixed.get("quote") or detect_quote("\n".join(head))
    delimiter = fixed.get("delimiter") or detect_delimiter(head, quote)
    rows = [split_line(line, delimiter, quote) for line in lines]
    decimal = fixed.get("decimal") or detect_decimal(rows[1:] or rows, delimiter)
    missing = tuple(fixed.get("missing", ()))
    dialect = Dialect(encoding, delimiter, quote, decimal, True, missing, skip)
    header = fixed.get("header")
    if header is None:
        header = detect_header(rows[:SHAPE_LINES], decimal, dialect.markers)
    return replace(dialect, header=bool(header))
