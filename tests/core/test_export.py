"""CSV export of the loss history and of tables: columns, missing values, precision, atomicity."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pytest

from nngui.core.export import HISTORY_COLUMNS, history_columns, history_csv, table_csv, write_file
from nngui.core.training import History, Series


def make_history() -> History:
    return History(
        train_loss=Series([4.0, 2.0, 1.0, 0.5]),
        eval_epochs=Series([0, 1, 2, 4, 4]),  # epoch 4 measured twice: the last one counts
        val_loss=Series([5.0, 3.0, 1.5, 0.9, 0.7]),
        test_loss=Series([6.0, 3.5, 1.75, 1.1, 0.8]),
    )


def read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_history_columns_align_evaluations_with_epochs() -> None:
    cols = history_columns(make_history())
    np.testing.assert_array_equal(cols["epoch"], [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(cols["train_loss"], [np.nan, 4.0, 2.0, 1.0, 0.5])
    np.testing.assert_array_equal(cols["val_loss"], [5.0, 3.0, 1.5, np.nan, 0.7])
    np.testing.assert_array_equal(cols["test_loss"], [6.0, 3.5, 1.75, np.nan, 0.8])


def test_history_csv_has_a_header_empty_missing_cells_and_full_precision() -> None:
    h = make_history()
    h.train_loss.append(1 / 3)
    rows = read(history_csv(h))
    assert list(rows[0]) == list(HISTORY_COLUMNS)
    assert rows[0] == {"epoch": "0", "train_loss": "", "val_loss": "5", "test_loss": "6"}
    assert rows[3] == {"epoch": "3", "train_loss": "1", "val_loss": "", "test_loss": ""}
    assert float(rows[-1]["train_loss"]) == 1 / 3
    assert len(rows) == 6


def test_history_without_an_epoch_0_evaluation_starts_at_1() -> None:
    h = History(Series([2.0, 1.0]), Series([2.0]), Series([np.nan]), Series([1.5]))
    rows = read(history_csv(h))
    assert [r["epoch"] for r in rows] == ["1", "2"]
    assert rows[1] == {"epoch": "2", "train_loss": "1", "val_loss": "", "test_loss": "1.5"}


def test_empty_history_is_just_the_header() -> None:
    assert history_csv(History()) == ",".join(HISTORY_COLUMNS) + "\n"


def test_a_long_history_exports_every_epoch() -> None:
    n = 200_000
    h = History(Series(np.linspace(1, 0, n)), Series([n]), Series([0.5]), Series([0.25]))
    text = history_csv(h)
    assert text.count("\n") == n + 1
    assert text.endswith(f"{n},0,0.5,0.25\n")


def test_table_csv_writes_columns_in_order_and_floats_exactly() -> None:
    rows = [
        {"split": "test", "output": "a+b", "rmse": 0.1, "r2": math.nan},
        {"split": "train", "output": "a, b", "rmse": 1e-300, "r2": np.float32(0.5)},
    ]
    text = table_csv(["split", "output", "rmse", "r2"], rows)
    back = read(text)
    assert back[0] == {"split": "test", "output": "a+b", "rmse": "0.1", "r2": ""}
    assert back[1]["output"] == "a, b"  # quoted, not split
    assert float(back[1]["rmse"]) == 1e-300 and back[1]["r2"] == "0.5"


def test_write_file_replaces_atomically(tmp_path) -> None:
    path = tmp_path / "loss.csv"
    path.write_text("old")
    write_file(path, "new,ü\n")
    assert path.read_bytes() == "new,ü\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["loss.csv"]


def test_write_file_failure_leaves_nothing_behind(tmp_path) -> None:
    with pytest.raises(OSError):
        write_file(tmp_path / "missing-folder" / "loss.csv", "x")
    assert list(tmp_path.iterdir()) == []
