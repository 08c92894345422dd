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


def history_columns(history: History) -> dict[str, np.ndarray]:
    """The history as equal-length columns, one row per epoch (0 too if it was evaluated).

    Returns ``{"epoch", "train_loss", "val_loss", "test_loss"}`` arrays of shape (rows,);
    ``train_loss`` is NaN at epoch 0, validation and test losses are NaN where not measured.
    """
    n = history.epochs
    evals = history.eval_epochs.values.astype(np.int64)
    first = 0 if (evals == 0).any() else 1
    epochs = np.arange(first, n + 1, dtype=np.int64)
    train = np.full(len(epochs), np.nan)
    train[epochs >= 1] = history.train_loss.values
    val = np.full(len(epochs), np.nan)
    test = np.full(len(epochs), np.nan)
    inside = (evals >= first) & (evals <= n)
    # Later measurements of the same epoch win (fancy assignment keeps the last one).
    val[evals[inside] - first] = history.val_loss.values[inside]
    test[evals[inside] - first] = history.test_loss.values[inside]
    return {"epoch": epochs, "train_loss": train, "val_loss": val, "test_loss": test}


def history_csv(history: History) -> str:
    """The loss history as CSV text with the columns HISTORY_COLUMNS."""
    cols = history_columns(history)
    body = np.column_stack([cols[name] for name in HISTORY_COLUMNS])
    out = io.StringIO()
    out.write(",".join(HISTORY_COLUMNS) + "\n")
    if len(body):
        # savetxt is fast for a million rows; "nan" cells become empty ones afterwards.
        np.savetxt(out, body, fmt=["%d", "%.17g", "%.17g", "%.17g"], delimiter=",")
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
