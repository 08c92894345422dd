"""Exporting results as CSV: the loss history and the per-output metrics (fit) table.

CSV files are written atomically (``atomic_file``), with a header row, ``.`` as the decimal
point and full float precision; a value that does not exist (the validation loss of an epoch
where it was not measured, say) is an empty cell.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import BinaryIO

import numpy as np

from nngui.core.atomic_file import write_atomically
from nngui.core.training import History

HISTORY_COLUMNS = ("epoch", "train_loss", "val_loss", "test_loss")
#: A classifier's history adds these columns (fractions of rows classified right).
ACCURACY_COLUMNS = ("val_accuracy", "test_accuracy")


def history_columns(history: History) -> dict[str, np.ndarray]:
    """The history as equal-length columns, one row per epoch (0 too if it was evaluated).

    Returns ``{"epoch", "train_loss", "val_loss", "test_loss", "val_accuracy",
    "test_accuracy"}`` arrays of shape (rows,); ``train_loss`` is NaN at epoch 0, validation
    and test losses and accuracies are NaN where not measured (the accuracies everywhere for
    regression).
    """
    n = history.epochs
    evals = history.eval_epochs.values.astype(np.int64)
    first = 0 if (evals == 0).any() else 1
    epochs = np.arange(first, n + 1, dtype=np.int64)
    train = np.full(len(epochs), np.nan)
    train[epochs >= 1] = history.train_loss.values
    inside = (evals >= first) & (evals <= n)
    cols: dict[str, np.ndarray] = {"epoch": epochs, "train_loss": train}
    for name in ("val_loss", "test_loss", *ACCURACY_COLUMNS):
        column = np.full(len(epochs), np.nan)
        # Later measurements of the same epoch win (fancy assignment keeps the last one).
        column[evals[inside] - first] = getattr(history, name).values[inside]
        cols[name] = column
    return cols


def history_csv(history: History) -> str:
    """The history as CSV text with the columns HISTORY_COLUMNS, and ACCURACY_COLUMNS after
    them when the history holds a finite accuracy (a classifier's)."""
    cols = history_columns(history)
    names = list(HISTORY_COLUMNS)
    if any(np.isfinite(cols[name]).any() for name in ACCURACY_COLUMNS):
        names += ACCURACY_COLUMNS
    body = np.column_stack([cols[name] for name in names])
    out = io.StringIO()
    out.write(",".join(names) + "\n")
    if len(body):
        # savetxt is fast for a million rows; "nan" cells become empty ones afterwards.
        np.savetxt(out, body, fmt=["%d"] + ["%.17g"] * (len(names) - 1), delimiter=",")
    return out.getvalue().replace(",nan", ",").replace(",-nan", ",")


def table_csv(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """Rows of dictionaries as CSV text with the given columns (floats at full precision)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(_cell(row[c]) for c in columns)
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, float | np.floating):
        return "" if np.isnan(value) else repr(float(value))
    return value


def write_file(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` atomically (raises OSError on failure)."""
    data = content.encode("utf-8") if isinstance(content, str) else content

    def write(f: BinaryIO) -> None:
        f.write(data)

    write_atomically(path, write)
