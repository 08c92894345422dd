"""A model applied to a CSV file's rows: predictions appended to each row, or metrics.

``predict_csv`` reads the file a chunk of rows at a time (memory stays flat however long it
is) as text, so every field is written back exactly as it was, and appends one column per
output, ``predicted_<target>``, in the file's delimiter and decimal mark (a whitespace-separated
file is written comma-separated). A row whose inputs are missing (or not numbers, or an unknown
category) gets empty predictions and is counted. ``evaluate_csv`` compares the model's outputs
with the file's target columns (matched by name) on the rows that hold every value.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

__all__ = ["CancelledError", "PredictedRows", "evaluate_csv", "predict_csv"]

import numpy as np

from nngui.core.classification import Classes, classification_metrics
from nngui.core.csv_dialect import CancelledError, CsvError, Dialect
from nngui.core.csv_source import one_hot
from nngui.core.csv_table import (
    Table,
    header_names,
    number_text,
    parser_problem,
    read_table,
    records,
)
from nngui.core.data import InputColumn
from nngui.core.losses import regression_metrics
from nngui.core.model import Model

#: Rows read, predicted and written at a time.
CHUNK_ROWS = 50_000


@dataclass(frozen=True)
class PredictedRows:
    """What ``predict_csv`` did: the rows written and those left without a prediction."""

    rows: int
    missing: int


def model_columns(model: Model) -> tuple[InputColumn, ...]:
    """How the model's inputs come from data columns (numeric ones named as its inputs)."""
    return model.input_columns or tuple(InputColumn(n) for n in model.input_names)


def _numbers(texts: Any, dialect: Dialect) -> np.ndarray:
    """Text fields as floats; missing markers, empty fields and non-numbers are NaN."""
    import pandas as pd

    s = pd.Series(texts, dtype=object)
    if dialect.decimal == ",":
        s = s.str.replace(",", ".", regex=False)
    # The standard markers are no numbers: they read as NaN with every other non-number.
    out: np.ndarray = pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    if dialect.missing:  # a marker that is a number, such as -999
        out[np.isin(s.str.strip().to_numpy(dtype=object), list(dialect.missing))] = np.nan
    return out


def _strings(texts: Any, dialect: Dialect) -> np.ndarray:
    """Text fields stripped, with None for missing ones."""
    values = [t.strip() if isinstance(t, str) else None for t in texts]
    missing = {"", *dialect.markers}
    return np.array([None if v is None or v in missing else v for v in values], dtype=object)


def _is_whole(text: str) -> bool:
    """Whether ``text`` is a whole number as a category's text ("1", "-2")."""
    return text.lstrip("-").isdigit()


def encode_chunk(columns: tuple[InputColumn, ...], frame: Any, names: list[str],
                 dialect: Dialect, path: str) -> np.ndarray:  # fmt: skip
    """The input matrix of one chunk of text fields (NaN where missing or unusable)."""
    blocks = []
    for col in columns:
        if col.name not in names:
            raise CsvError(
                f"{path}: no column {col.name!r}, which the model takes as an input (its "
                f"columns: {', '.join(names)})"
            )
        texts = frame.iloc[:, names.index(col.name)]
        if col.kind == "numeric":
            blocks.append(_numbers(texts, dialect)[:, None])
            continue
        values = _strings(texts, dialect)
        if all(_is_whole(c) for c in col.categories):  # number codes: "1.0" is "1"
            numbers = _numbers(texts, dialect)
            values = np.array([number_text(v) for v in numbers], dtype=object)
        elif set(col.categories) <= {"False", "True"}:  # read as booleans: TRUE, true, True …
            spelled = {"true": "True", "false": "False"}
            values = np.array([None if v is None else spelled.get(v.lower(), v) for v in values],
                              dtype=object)  # fmt: skip
        blocks.append(one_hot(values, col.categories))
    out: np.ndarray = np.concatenate(blocks, axis=1)
    return out


def _chunks(path: str, dialect: Dialect) -> Iterator[Any]:
    """The file's rows as text, CHUNK_ROWS at a time."""
    import pandas as pd

    try:
        yield from pd.read_csv(
            path, sep=r"\s+" if dialect.delimiter == " " else dialect.delimiter, engine="c",
            quotechar=dialect.quote, encoding=dialect.encoding, dtype=str, header=None,
            skiprows=dialect.skip_lines + dialect.header, keep_default_na=False,
            na_filter=False, chunksize=CHUNK_ROWS, index_col=False,
        )  # fmt: skip
    except pd.errors.EmptyDataError:
        raise CsvError(f"{path}: the file is empty") from None
    except pd.errors.ParserError as exc:
        raise CsvError(f"{path}: {parser_problem(str(exc))}") from None
    except UnicodeDecodeError:
        raise CsvError(f"{path}: cannot be read as {dialect.encoding}") from None


def predict_csv(
    model: Model, path: str, dialect: Dialect, out: TextIO,
    on_rows: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> PredictedRows:  # fmt: skip
    """Write every row of ``path`` to ``out`` with the model's predictions appended: a
    ``predicted_<target>`` column per output, or for a classifier the predicted class and a
    ``p_<target>=<class>`` column per class.

    ``on_rows(n)`` hears the rows written so far after each chunk; ``cancelled()`` is asked
    before each chunk, and True raises CancelledError.
    """
    columns = model_columns(model)
    delimiter = "," if dialect.delimiter == " " else dialect.delimiter
    rows = missing = 0
    header = header_fields(path, dialect)
    names = header_names(list(header), True) if header else None
    first = True
    for frame in _chunks(path, dialect):
        if cancelled is not None and cancelled():
            raise CancelledError
        if names is None:
            names = header_names(list(frame.columns), False)
        if first and header:  # the header as the file has it, then a column per output
            out.write(delimiter.join(_quoted(h, delimiter, dialect.quote) for h in header))
            added = [_quoted(n, delimiter, dialect.quote) for n in predicted_columns(model)]
            out.write("".join(delimiter + n for n in added) + "\n")
        x = encode_chunk(columns, frame, names, dialect, path)
        ok = ~np.isnan(x).any(axis=1)
        y = np.full((len(x), model.network.n_outputs), np.nan)
        if ok.any():
            with np.errstate(all="ignore"):
                y[ok] = model.predict(x[ok])
        for name, values in zip(predicted_columns(model), _predicted(model, y, ok), strict=True):
            frame[name] = [v if isinstance(v, str) else _shown(v, dialect.decimal) for v in values]
        frame.to_csv(
            out, sep=delimiter, quotechar=dialect.quote, header=False, index=False,
            lineterminator="\n", quoting=csv.QUOTE_MINIMAL,
        )  # fmt: skip
        first = False
        rows += len(x)
        missing += int((~ok).sum())
        if on_rows is not None:
            on_rows(rows)
    if rows == 0:
        raise CsvError(f"{path}: no data rows")
    return PredictedRows(rows, missing)


def predicted_columns(model: Model) -> list[str]:
    """The names of the columns ``predict_csv`` appends."""
    if model.task == "classification":
        target = model.output_names[0]
        return [f"predicted_{target}", *(f"p_{target}={c}" for c in model.classes)]
    return [f"predicted_{t}" for t in model.output_names]


def _predicted(model: Model, y: np.ndarray, ok: np.ndarray) -> list[list[Any]]:
    """The appended columns' values (NaN or "" where a row has no prediction)."""
    if model.task != "classification":
        return [list(y[:, k]) for k in range(y.shape[1])]
    classes = Classes(model.classes)
    p = classes.class_probabilities(y)
    best = np.argmax(np.nan_to_num(p, nan=-1.0), axis=1)
    names = [classes.names[i] if keep else "" for i, keep in zip(best, ok, strict=True)]
    return [names, *(list(p[:, k]) for k in range(classes.k))]


def header_fields(path: str, dialect: Dialect) -> list[str]:
    """The header line's fields as written ([] without a header)."""
    if not dialect.header:
        return []
    _, fields = next(records(path, dialect), (0, []))
    if fields:  # (a byte-order mark read with --encoding utf-8 stays in the text)
        fields[0] = fields[0].lstrip("\ufeff")
    return fields


def _quoted(field: str, delimiter: str, quote: str) -> str:
    """``field`` quoted if it must be (it holds the delimiter, the quote or a line break)."""
    if any(c in field for c in (delimiter, quote, "\n", "\r")):
        return quote + field.replace(quote, quote * 2) + quote
    return field


def _shown(value: float, decimal: str) -> str:
    """A prediction as written: every digit it holds, "" when there is none."""
    if not np.isfinite(value):
        return ""
    text = repr(float(value))
    return text.replace(".", ",") if decimal == "," else text


def evaluate_csv(model: Model, path: str, dialect: Dialect) -> dict[str, Any]:
    """Metrics of the model on the rows of ``path`` that hold every input and target (for a
    classifier: accuracy, log loss, per-class precision, recall and F1, confusion)."""
    table = read_table(path, dialect)
    x = model.table_inputs(table)
    if model.task == "classification":
        return _evaluate_classes(model, table, x, path)
    targets = []
    for name in model.output_names:
        c = table.column(name)
        if c.kind != "numeric":
            raise CsvError(f"{path}: target column {name!r} is {c.kind}, not numeric")
        targets.append(c.values)
    y = np.stack(targets, axis=1)
    ok = ~(np.isnan(x).any(axis=1) | np.isnan(y).any(axis=1))
    if not ok.any():
        raise CsvError(f"{path}: no row holds every input and target of the model")
    with np.errstate(all="ignore"):
        m = regression_metrics(model.predict(x[ok]), y[ok]).to_dict()
    return {
        "rows": int(ok.sum()), "skipped": int((~ok).sum()), "outputs": list(model.output_names),
        "rmse": m["rmse"], "mae": m["mae"], "r2": m["r2"], "max_error": m["max_error"],
    }  # fmt: skip


def _evaluate_classes(model: Model, table: Table, x: np.ndarray, path: str) -> dict[str, Any]:
    """``evaluate_csv`` of a classifier: its label column's classes must be the model's."""
    classes = Classes(model.classes)
    labels = table.column(model.output_names[0]).texts()
    present = np.array([v is not None for v in labels])
    ok = present & ~np.isnan(x).any(axis=1)
    if not ok.any():
        raise CsvError(f"{path}: no row holds every input and the label of the model")
    try:
        true = classes.index(list(labels[ok]))
    except ValueError as exc:
        raise CsvError(f"{path}: {exc}") from None
    with np.errstate(all="ignore"):
        p = classes.class_probabilities(model.predict(x[ok]))
    m = classification_metrics(p, true, classes.k).to_dict()
    return {"rows": int(ok.sum()), "skipped": int((~ok).sum()), "classes": list(classes.names),
            **m}  # fmt: skip
