"""Runs: runs recorded, named, renamed, selected, deleted; unsaved ones counted."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from nngui.core.training import History
from nngui.workbench import RunRecord, Runs, RunsError, Settings


def record(epochs: int = 3, name: str = "", outcome: str = "completed") -> RunRecord:
    history = History.from_arrays({
        "train_loss": np.linspace(2, 1, epochs), "eval_epochs": np.array([0.0, epochs]),
        "val_loss": np.full(2, np.nan), "test_loss": np.array([3.0, 1.5]),
    })  # fmt: skip
    return RunRecord(
        name=name, started=dt.datetime(2026, 12, 3, 12, 0), settings=Settings(),
        history=history, metrics={"test": {"rmse": [0.5, 0.25, 0.125]}},
        params=(np.zeros((3, 4)),), weights_epoch=epochs, outcome=outcome,
    )  # fmt: skip


def test_runs_are_named_in_order_and_the_new_one_is_selected():
    runs = Runs()
    heard = []
    runs.subscribe(lambda: heard.append(len(runs)))
    first, second = runs.add(record()), runs.add(record(name="  wide  "))
    assert [r.name for r in runs] == ["Run 1", "wide"]
    assert runs.selected is second and first.id != second.id and heard == [1, 2]
    assert runs.unsaved() == 2
    runs.mark_saved(first.id)
    assert runs.unsaved() == 1 and runs.get(first.id).saved


def test_rename_checks_the_name():
    runs = Runs()
    run = runs.add(record())
    assert runs.rename(run.id, " baseline ").name == "baseline"
    for bad, why in [("", "needs a name"), ("x" * 81, "at most 80"), ("a\nb", "control")]:
        with pytest.raises(RunsError, match=why):
            runs.rename(run.id, bad)
    assert runs.get(run.id).name == "baseline"


def test_deleting_moves_the_selection_to_a_neighbour():
    runs = Runs()
    a, b, c = (runs.add(record()) for _ in range(3))
    runs.select(b.id)
    runs.delete(b.id)
    assert runs.selected is not None and runs.selected.id == c.id
    runs.delete(c.id)
    assert runs.selected is not None and runs.selected.id == a.id
    runs.delete(a.id)
    assert runs.selected is None and len(runs) == 0
    with pytest.raises(RunsError, match="no run with id"):
        runs.delete(a.id)
    with pytest.raises(RunsError, match="no run with id"):
        runs.select(99)


def test_a_record_says_what_it_was():
    run = record(epochs=4)
    assert run.epochs == 4 and run.test_rmse() == [0.5, 0.25, 0.125]
    assert run.summary() == "2-4-4-3 relu · gd, lr 0.01, full batch · 10,000 samples"
    with pytest.raises(RunsError, match="unknown outcome"):
        record(outcome="exploded")
    with pytest.raises(RunsError, match="weights of epoch 9"):
        RunRecord("x", run.started, run.settings, run.history, {}, (), 9, "completed")


def test_a_record_becomes_the_model_a_file_would_hold():
    from nngui.core.setup import fresh_start

    settings = Settings()
    ds, net = fresh_start(settings.data, settings.layers, "he", "float64")
    run = dataclasses.replace(
        record(epochs=3), params=tuple(p.copy() for p in net.params), weights_epoch=2
    )
    model = run.model()
    assert all(np.array_equal(p, q) for p, q in zip(model.network.params, net.params, strict=True))
    assert model.data_spec == settings.data and model.train_config == settings.training
    assert model.history.epochs == 3 and model.weights_epoch == 2 and model.outcome == "completed"
    np.testing.assert_array_equal(model.x_scaler.mean, ds.x_scaler.mean)
    assert model.metrics == run.metrics
    assert dataclasses.replace(run, weights_epoch=3).model().weights_epoch is None  # the last
