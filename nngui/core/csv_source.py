"""A data set from a CSV file: chosen input and target columns, missing values, shuffle, split.

A CsvSpec says everything needed to find the same rows again: the file (and its size and
SHA-256, recorded when it is read), how it is written (a Dialect), the input and target
columns, what to do with missing values, the shuffle and the split. ``make_csv_dataset`` reads
the file and builds the Dataset the rest of nngui trains on, with

- numeric inputs as they are, categorical inputs one-hot encoded (a column per category,
  named ``column=category``, categories sorted), described by ``InputColumn``s;
- rows with a missing value in a used column dropped (``missing_policy="drop"``, the count
  reported), or missing inputs filled with their training mean (``"mean"``; a row missing a
  target is dropped either way);
- rows shuffled with ``shuffle_seed`` before the split (files are often sorted), unless
  ``shuffle`` is off (time series keep their order);
- the split as for the formulas: the leading ``train_ratio`` to fit, of which the trailing
  ``val_ratio`` is held out for validation, the rest to test.

Inputs by default are every usable column that is not a target; constant columns, text and
empty ones are left out with a note. Every refusal is a CsvError naming the file and the column.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from nngui.core.csv_dialect import CsvError, Dialect
from nngui.core.csv_table import (
    MAX_CATEGORIES,
    Column,
    Table,
    formatted_numbers,
    line_of_row,
    number_text,
    read_table,
)
from nngui.core.data import MAX_MAGNITUDE, Dataset, InputColumn, split_counts, split_dataset
from nngui.core.run_text import plural

MISSING_POLICIES = ("drop", "mean")
#: A CSV data set's task: "" finds it from the target (categories: classification).
TASKS = ("", "regression", "classification")


@dataclass(frozen=True)
class CsvSpec:
    """A CSV data set (see the module docstring)."""

    path: str
    inputs: tuple[str, ...]
    targets: tuple[str, ...]
    dialect: Dialect = field(default_factory=Dialect)
    missing_policy: str = "drop"
    shuffle: bool = True
    shuffle_seed: int = 0
    train_ratio: float = 0.7
    val_ratio: float = 0.0
    #: "" (found from the target: a categorical one is classified), "regression" (number
    #: codes as numbers) or "classification".
    task: str = ""
    #: The file's size and SHA-256 when it was read (not settings: equal specs may differ).
    size: int | None = field(default=None, compare=False)
    sha256: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.missing_policy not in MISSING_POLICIES:
            raise CsvError(
                f"missing-value policy must be drop or mean, not {self.missing_policy!r}"
            )
        if not self.targets:
            raise CsvError("choose at least one target column")
        both = set(self.inputs) & set(self.targets)
        if both:
            raise CsvError(f"a column cannot be both an input and a target: {', '.join(both)}")
        if not 0.05 <= self.train_ratio <= 0.95:
            raise CsvError("train ratio must be between 0.05 and 0.95")
        if not 0.0 <= self.val_ratio <= 0.5:
            raise CsvError("validation ratio must be between 0 and 0.5")
        if not 0 <= self.shuffle_seed < 2**32:
            raise CsvError("shuffle seed must be a whole number from 0 to 4294967295")
        if self.task not in TASKS:
            raise CsvError(f"the task must be regression or classification, not {self.task!r}")
        if self.task == "classification" and len(self.targets) != 1:
            raise CsvError("a classifier learns one label column: give one target")

    @property
    def seed(self) -> int:
        """The seed of the weights drawn for this data (as a DataSpec's seed is)."""
        return self.shuffle_seed

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready settings (``source: "csv"``)."""
        return {
            "source": "csv", "path": self.path, "file_name": os.path.basename(self.path),
            "size": self.size, "sha256": self.sha256, "reader": self.dialect.describe(),
            "inputs": list(self.inputs), "targets": list(self.targets),
            "missing_policy": self.missing_policy, "shuffle": self.shuffle,
            "shuffle_seed": self.shuffle_seed, "train_ratio": self.train_ratio,
            "val_ratio": self.val_ratio, "task": self.task,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CsvSpec:
        """Settings from ``to_dict``; raises CsvError on bad values."""
        try:
            reader = d["reader"]
            dialect = Dialect(
                str(reader["encoding"]), str(reader["delimiter"]), str(reader["quote"]),
                str(reader["decimal"]), bool(reader["header"]),
                tuple(str(m) for m in reader.get("missing", [])), int(reader.get("skip_lines", 0)),
            )  # fmt: skip
            return cls(
                path=str(d["path"]), inputs=tuple(str(n) for n in d["inputs"]),
                targets=tuple(str(n) for n in d["targets"]), dialect=dialect,
                missing_policy=str(d["missing_policy"]), shuffle=bool(d["shuffle"]),
                shuffle_seed=int(d["shuffle_seed"]), train_ratio=float(d["train_ratio"]),
                val_ratio=float(d["val_ratio"]), task=str(d.get("task", "")),
                size=None if d.get("size") is None else int(d["size"]),
                sha256=None if d.get("sha256") is None else str(d["sha256"]),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, CsvError):
                raise
            raise CsvError(f"CSV data settings are incomplete or malformed ({exc})") from None


@dataclass(frozen=True)
class CsvData:
    """A CSV data set as read: the Dataset, its spec (with the file's fingerprint), the notes
    (columns left out) and how many rows were dropped for missing values."""

    dataset: Dataset
    spec: CsvSpec
    notes: tuple[str, ...]
    dropped: int


#: The tables read last, by file, reader settings, size and modification time: a fresh network
#: on the same file (a layer edit, an undo) does not read it again.
_TABLES: dict[tuple[str, Dialect, int, int], Table] = {}
CACHED_TABLES = 2


def cached_table(
    path: str, dialect: Dialect, progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Table:  # fmt: skip
    """``read_table(path, dialect, progress, cancelled)``, or the table read before if the
    file is unchanged."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise CsvError(f"{path}: no such file (was it moved or deleted?)") from None
    except OSError:
        return read_table(path, dialect)  # (which says what is wrong)
    key = (os.path.abspath(path), dialect, stat.st_size, stat.st_mtime_ns)
    table = _TABLES.get(key)
    if table is None:
        table = read_table(path, dialect, progress, cancelled)
        while len(_TABLES) >= CACHED_TABLES:
            _TABLES.pop(next(iter(_TABLES)), None)
        _TABLES[key] = table
    return table


#: The fingerprints taken last, by file, size and modification time (hashing 100 MB takes a
#: moment; a fresh network on the same file should not).
_FINGERPRINTS: dict[tuple[str, int, int], str] = {}


def fingerprint(path: str) -> tuple[int, str]:
    """The size and SHA-256 of the file at ``path``."""
    stat = os.stat(path)
    key = (os.path.abspath(path), stat.st_size, stat.st_mtime_ns)
    if key not in _FINGERPRINTS:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
        while len(_FINGERPRINTS) >= CACHED_TABLES:
            del _FINGERPRINTS[next(iter(_FINGERPRINTS))]
        _FINGERPRINTS[key] = digest.hexdigest()
    return stat.st_size, _FINGERPRINTS[key]


def check_unchanged(spec: CsvSpec) -> None:
    """Refuse when the file of ``spec`` is missing or not the one it was read from."""
    if not os.path.isfile(spec.path):
        was = f" (it was {spec.size:,} bytes)" if spec.size is not None else ""
        raise CsvError(f"{spec.path}: the data file is missing{was}; if it moved, give it "
                       "with --csv FILE")  # fmt: skip
    if spec.sha256 is not None and fingerprint(spec.path)[1] != spec.sha256:
        raise CsvError(
            f"{spec.path}: the data file changed since the model was trained on it (its "
            "SHA-256 differs); a moved copy can be given with --csv FILE"
        )


def usable_inputs(table: Table, targets: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    """Every column fit to be an input that is not a target, and a note per column left out."""
    inputs, notes = [], []
    for c in table.columns:
        if c.name in targets:
            continue
        if c.kind in ("text", "empty"):
            notes.append(f"column {c.name!r} left out: it is {c.kind}{formatted_hint(c)}")
        elif c.distinct < 2:
            notes.append(f"column {c.name!r} left out: every row holds the same value")
        else:
            inputs.append(c.name)
    return tuple(inputs), notes


def input_column(table: Table, name: str) -> InputColumn:
    """How the column ``name`` enters the network; refuses text, empty and constant columns."""
    c = table.column(name)
    if c.kind in ("text", "empty"):
        raise CsvError(
            f"{table.path}: column {name!r} is {c.kind}: it cannot be an input{formatted_hint(c)}"
        )
    if c.distinct < 2:
        raise CsvError(
            f"{table.path}: column {name!r} holds the same value in every row: as an input it "
            "tells the network nothing (leave it out)"
        )
    if c.kind == "categorical":
        if c.numbers:  # number codes: in numeric order
            codes = sorted({float(v) for v in c.values[~np.isnan(c.values)]})
            return InputColumn(name, "categorical", tuple(str(number_text(v)) for v in codes))
        return InputColumn(name, "categorical", tuple(sorted({v for v in c.values if v})))
    return InputColumn(name, "numeric")


def target_values(table: Table, name: str) -> np.ndarray:
    """The numeric values of target column ``name``; refuses other kinds, naming a value."""
    c = table.column(name)
    if c.kind == "numeric" or (c.kind == "categorical" and c.numbers):
        return c.values  # number codes regressed as numbers (the task says so)
    if c.kind == "empty":
        raise CsvError(f"{table.path}: target column {name!r} is empty")
    raise _not_numeric(table, c, "target")


def encode(columns: tuple[InputColumn, ...], table: Table) -> np.ndarray:
    """The input matrix of ``table`` (NaN where missing; unknown categories are missing)."""
    blocks = []
    for col in columns:
        c = table.column(col.name)
        if col.kind == "numeric":
            if c.kind != "numeric":
                raise _not_numeric(table, c, "input")
            blocks.append(c.values[:, None])
        else:
            blocks.append(one_hot(c.texts(), col.categories))
    out: np.ndarray = np.concatenate(blocks, axis=1)
    return out


def one_hot(values: np.ndarray, categories: tuple[str, ...]) -> np.ndarray:
    """One column per category, 1.0 where the value is it; a row whose value is missing or no
    known category is NaN in every column."""
    index = {c: i for i, c in enumerate(categories)}
    codes = np.array([index.get(v, -1) if v is not None else -1 for v in values])
    out: np.ndarray = (codes[:, None] == np.arange(len(categories))[None, :]).astype(np.float64)
    out[codes < 0] = np.nan
    return out


def missing_values(table: Table, names: tuple[str, ...]) -> np.ndarray:
    """Per row of ``table``: whether any of the columns ``names`` has no value there."""
    missing = np.zeros(table.rows, dtype=bool)
    for name in names:
        c = table.column(name)
        if c.numbers:
            missing |= np.isnan(c.values)
        elif c.kind == "empty":
            missing[:] = True
        else:
            missing |= np.array([v is None for v in c.values], dtype=bool)
    return missing


def incomplete_rows(
    table: Table, inputs: tuple[str, ...], targets: tuple[str, ...], policy: str
) -> np.ndarray:
    """Per row: whether ``make_csv_dataset`` drops it for a missing value (a missing target
    always; a missing input under the ``drop`` policy)."""
    dropped = missing_values(table, targets)
    if policy == "drop":
        dropped |= missing_values(table, inputs)
    return dropped


def table_task(table: Table, spec: CsvSpec) -> str:
    """The task of ``spec`` on ``table``: as given, else classification for one categorical
    target (strings, or number codes such as 0/1) and regression otherwise."""
    if spec.task:
        return spec.task
    if len(spec.targets) == 1 and table.column(spec.targets[0]).kind == "categorical":
        return "classification"
    return "regression"


def label_classes(table: Table, name: str) -> tuple[str, ...]:
    """The classes of label column ``name``: its categories, or the whole numbers of a numeric
    column with at most MAX_CATEGORIES of them (classes 0 … 9 of digits); raises CsvError for
    other columns (measurements are regressed, not classified)."""
    c = table.column(name)
    if c.kind == "numeric":
        present = c.values[~np.isnan(c.values)]
        whole = bool(np.all(present == np.round(present)))
        if not whole or c.distinct > MAX_CATEGORIES:
            raise CsvError(
                f"{table.path}: {name} holds {c.distinct:,} different numbers, not classes: a "
                f"classifier needs a label column (categories, or at most {MAX_CATEGORIES} "
                "whole numbers); choose the task regression for it"
            )
        codes = sorted({float(v) for v in present})
        return tuple(str(number_text(v)) for v in codes)
    if c.kind != "categorical":
        input_column(table, name)  # says why text or empty columns cannot be used
    classes = input_column(table, name).categories
    if len(classes) < 2:
        raise CsvError(f"{table.path}: the label column {name!r} holds one class")
    return classes


def label_targets(table: Table, name: str, classes: tuple[str, ...]) -> np.ndarray:
    """What the network learns of label column ``name``: 0/1 for two classes, one-hot for
    more; NaN in a row whose label is missing (dropped like a missing target)."""
    c = table.column(name)
    codes = one_hot(c.texts(), classes)
    if len(classes) == 2:
        out: np.ndarray = codes[:, 1:2]
        return out
    return codes


def check_magnitudes(table: Table, names: list[str]) -> None:
    """Refuse a value beyond ±MAX_MAGNITUDE in the numeric columns ``names``: its square
    would overflow the scaler's variance (and every value of the column would then be 0)."""
    for name in names:
        c = table.column(name)
        if not c.numbers:
            continue
        with np.errstate(invalid="ignore"):
            big = np.flatnonzero(np.abs(c.values) > MAX_MAGNITUDE)
        if big.size:
            row = int(big[0])
            raise CsvError(
                f"{table.path}: line {line_of_row(table.path, table.dialect, row)}, column "
                f"{name!r} holds {c.values[row]:g}, beyond ±{MAX_MAGNITUDE:g}: too large to "
                "standardise; leave the column out, or rescale it"
            )


def make_csv_dataset(
    spec: CsvSpec, table: Table | None = None, dtype: type = np.float64
) -> CsvData:
    """Read the file of ``spec`` (or use ``table``) and build the data set it describes."""
    table = table if table is not None else cached_table(spec.path, spec.dialect)
    if table.rows < 2:
        raise CsvError(f"{spec.path}: too few rows to split: {plural(table.rows, 'row')}")
    notes: list[str] = []
    inputs = spec.inputs
    if not inputs:
        inputs, notes = usable_inputs(table, spec.targets)
        if not inputs:
            raise CsvError(f"{spec.path}: no column is usable as an input")
    columns = tuple(input_column(table, name) for name in inputs)
    task = table_task(table, spec)
    classes: tuple[str, ...] = ()
    numeric_targets = list(spec.targets) if task == "regression" else []
    check_magnitudes(table, [c.name for c in columns if c.kind == "numeric"] + numeric_targets)
    x = encode(columns, table)
    if task == "classification":
        classes = label_classes(table, spec.targets[0])
        y = label_targets(table, spec.targets[0], classes)
    else:
        y = np.stack([target_values(table, name) for name in spec.targets], axis=1)
    keep = ~incomplete_rows(table, inputs, spec.targets, spec.missing_policy)
    dropped = int((~keep).sum())
    x, y = x[keep], y[keep]
    order = (np.random.RandomState(spec.shuffle_seed).permutation(len(x)) if spec.shuffle
             else np.arange(len(x)))  # fmt: skip
    x, y = x[order], y[order]
    n_train, n_val, n_test = split_counts(len(x), spec.train_ratio, spec.val_ratio)
    if min(n_train, n_test) < 1 or (spec.val_ratio > 0 and n_val < 1):
        kept = plural(len(x), "row") + (
            f" ({dropped:,} dropped for missing values)" if dropped else ""
        )
        raise CsvError(f"{spec.path}: too few rows to split: {kept}")
    if spec.missing_policy == "mean":
        means = np.nanmean(x[:n_train], axis=0)
        means = np.where(np.isnan(means), 0.0, means)
        x = np.where(np.isnan(x), means, x)
    size, sha = fingerprint(spec.path)
    spec = replace(spec, inputs=inputs, size=size, sha256=sha)
    names = tuple(n for col in columns for n in col.encoded_names)
    dataset = split_dataset(spec, x, y, n_train, n_val, names, spec.targets, columns, dtype,
                            task, classes)  # fmt: skip
    dataset.dropped = dropped
    return CsvData(dataset, spec, tuple(notes), dropped)


def formatted_hint(c: Column) -> str:
    """A hint when a text column holds numbers written for people ("1,234.5", "12 %", "€3")."""
    found = formatted_numbers(c.values) if c.kind == "text" else None
    if found is None:
        return ""
    example, what = found
    return f" (values such as {example!r}: numbers with {what}? remove them to use it)"


def _first_text(c: Column, decimal: str) -> tuple[int, str]:
    """The row and value of the first value of ``c`` that is not a number (written with the
    decimal mark ``decimal``)."""
    for row, v in enumerate(c.values):
        if v is None:
            continue
        try:
            float(str(v).replace(",", ".") if decimal == "," else str(v))
        except ValueError:
            return row, str(v)
    return 0, str(c.values[0])


def _not_numeric(table: Table, c: Column, role: str) -> CsvError:
    """Why column ``c`` cannot be a numeric ``role``, naming its first value that is no number
    (and suggesting the decimal comma when the value is one)."""
    row, value = _first_text(c, table.dialect.decimal)
    line = line_of_row(table.path, table.dialect, row)
    hint = ""
    if table.dialect.decimal == "." and re.fullmatch(r"[-+]?\d+,\d+", value.strip()):
        hint = "; it looks like a decimal comma: give --decimal ,"
    elif role == "target":
        hint = " (a label column is classified: make it the only target, task classification)"
    return CsvError(
        f"{table.path}: {role} column {c.name!r} must be numeric, but line {line} holds "
        f"{value!r}{hint}"
    )
