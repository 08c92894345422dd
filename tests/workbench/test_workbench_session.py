"""Workbench sessions: fresh networks follow edits, runs are kept as they end, restored, opened."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.data import DataSpec
from nngui.core.network import LayerSpec
from nngui.core.setup import fresh_start
from nngui.workbench import RunState, RunStateError, Settings, Workbench


@pytest.fixture
def bench():
    b = Workbench(Settings(DataSpec(samples=200)))
    b.start_fresh()
    b.set_modified(False)
    return b


def train(bench: Workbench, epochs: int, keep: bool = True) -> None:
    """A run of ``epochs`` epochs, made synchronously (the window runs it in a thread)."""
    trainer = bench.begin_run()
    assert bench.state is RunState.TRAINING
    result = trainer.run(epochs, restore_best=keep)
    bench.end_run(result.outcome, result, keep=keep)


def same(a, b) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_a_fresh_session_is_the_command_lines_start(bench):
    s = bench.settings
    ds, net = fresh_start(s.data, list(s.layers), s.training.init, s.training.dtype)
    assert bench.state is RunState.IDLE and not bench.session.trained
    assert same(net.params, bench.session.network.params)
    assert np.array_equal(ds.train.x, bench.session.dataset.train.x)


def test_edits_that_change_the_network_start_a_fresh_one_at_once(bench):
    heard = []
    bench.subscribe_session(lambda old, new: heard.append((old, new)))
    first = bench.session
    bench.set_training(lr=0.5)
    assert bench.session is first and not heard, "a learning rate keeps the network"
    bench.set_hidden([LayerSpec(8, "tanh")])
    assert bench.session is not first and bench.session.network.sizes == [2, 8, 3]
    assert heard == [(first, bench.session)]
    bench.stack.undo()
    assert bench.session.network.sizes == [2, 4, 4, 3] and bench.modified


def test_a_run_is_kept_as_it_ends(bench):
    train(bench, 3)
    assert bench.state is RunState.FINISHED and bench.modified and bench.has_unsaved_work()
    (run,) = bench.runs
    assert run.epochs == 3 and run.outcome == "completed" and bench.current_run == run.id
    assert same(run.params, bench.session.network.params)
    train(bench, 2)  # a continuation is a run of its own
    assert [r.epochs for r in bench.runs] == [3, 5]


def test_single_steps_are_kept_only_when_their_network_is_replaced(bench):
    train(bench, 1, keep=False)
    train(bench, 1, keep=False)
    assert len(bench.runs) == 0
    weights = [p.copy() for p in bench.session.network.params]
    bench.set_data(seed=7)
    (run,) = bench.runs
    assert run.epochs == 2 and same(run.params, weights)
    assert bench.replaced_run is run and bench.session.history.epochs == 0


def test_nothing_replaces_the_network_while_a_run_is_under_way(bench):
    trainer = bench.begin_run()
    with pytest.raises(RunStateError, match="while a run is under way"):
        bench.set_data(seed=7)
    with pytest.raises(RunStateError):
        bench.start_fresh()
    assert bench.settings.data.seed == 42 and not bench.stack.can_undo()
    bench.set_training(lr=0.02)  # a run takes a new learning rate
    bench.set_state(RunState.PAUSED)
    result = trainer.run(1)
    bench.end_run("interrupted", result)
    assert bench.state is RunState.STOPPED


def test_a_restored_run_is_an_undoable_step(bench):
    train(bench, 4)
    weights = [p.copy() for p in bench.session.network.params]
    bench.set_hidden([LayerSpec(3)])
    assert bench.replaced_run is not None and bench.replaced_run.epochs == 4
    run = bench.restore_run(bench.runs.selected.id)
    assert bench.settings.hidden == (LayerSpec(4), LayerSpec(4))
    assert same(weights, bench.session.network.params) and bench.session.history.epochs == 4
    assert bench.state is RunState.FINISHED and bench.current_run == run.id
    assert bench.stack.undo_text() == f"Restore {run.name}"
    bench.stack.undo()
    assert bench.settings.hidden == (LayerSpec(3),) and bench.session.history.epochs == 0
    assert len(bench.runs) == 1, "the restored network was a run already"


def test_an_opened_model_forgets_the_undo_history(bench):
    train(bench, 2)
    model = bench.current_model()
    other = Workbench()
    other.start_fresh()
    other.set_training(lr=0.5)
    other.open_model(model)
    assert other.settings == bench.settings and not other.stack.can_undo()
    assert other.session.history.epochs == 2 and other.state is RunState.FINISHED
    assert not other.modified and other.current_run is None


def test_new_starts_from_the_article_unmodified(bench):
    train(bench, 1)
    bench.set_training(lr=0.5)
    bench.new()
    assert bench.settings == Settings() and not bench.stack.can_undo()
    assert bench.state is RunState.IDLE and not bench.modified
    assert len(bench.runs) == 1, "the runs stay"


def test_saving_marks_the_shown_run_saved(bench):
    train(bench, 1)
    assert bench.runs.unsaved() == 1
    bench.mark_saved()
    assert bench.runs.unsaved() == 0 and not bench.modified and not bench.has_unsaved_work()


def test_saving_after_the_shown_run_was_deleted_saves_and_forgets_it(bench):
    train(bench, 1)
    bench.runs.delete(bench.current_run)
    bench.mark_saved()
    assert bench.current_run is None and not bench.modified


def test_state_listeners_hear_every_change(bench):
    heard = []
    bench.subscribe_state(heard.append)
    train(bench, 1)
    bench.start_fresh()
    assert heard == [RunState.TRAINING, RunState.FINISHED, RunState.IDLE]


def csv_settings(tmp_path) -> Settings:
    from nngui.core.csv_dialect import sniff
    from nngui.core.csv_source import CsvSpec

    path = tmp_path / "d.csv"
    rows = "".join(f"{i},{['u', 'v', 'w'][i % 3]},{2 * i + (i % 3)}\n" for i in range(60))
    path.write_text("x,kind,y\n" + rows)
    spec = CsvSpec(str(path), ("x", "kind"), ("y",), sniff(path))
    return Settings(spec, (LayerSpec(6, "relu"), LayerSpec(1, "linear")))


def test_a_csv_file_is_data_like_any_other(bench, tmp_path):
    csv = csv_settings(tmp_path)
    bench.edit(csv, "Use the data of d.csv")
    ds = bench.session.dataset
    assert ds.input_names == ("x", "kind=u", "kind=v", "kind=w") and ds.output_names == ("y",)
    assert bench.session.network.sizes == [4, 6, 1]
    train(bench, 3)
    (run,) = bench.runs
    assert run.summary().endswith("· d.csv") and run.summary().startswith("4-6-1 relu")
    bench.set_data(shuffle_seed=5)  # a new network on the same file
    assert bench.stack.undo_text() == "Set shuffle seed to 5" and not bench.session.trained
    bench.stack.undo()
    bench.stack.undo()
    assert bench.settings.data == Settings(DataSpec(samples=200)).data
    assert bench.session.network.sizes == [2, 4, 4, 3]
    restored = bench.restore_run(run.id)
    assert bench.settings.data == csv.data and bench.session.history.epochs == 3
    assert np.array_equal(restored.params[0], bench.session.network.params[0])


def test_a_model_trained_on_a_csv_file_opens_with_its_columns(bench, tmp_path):
    csv = csv_settings(tmp_path)
    other = Workbench(csv)
    other.start_fresh()
    train(other, 2)
    bench.open_model(other.current_model())
    assert bench.settings == csv and bench.session.dataset.input_names[1] == "kind=u"
    assert bench.session.history.epochs == 2 and bench.state is RunState.FINISHED


def test_csv_edits_are_named_for_the_edit_menu(tmp_path):
    import dataclasses

    from nngui.workbench import describe_change

    csv = csv_settings(tmp_path)
    formulas = Settings(DataSpec(samples=500))
    assert describe_change(formulas, csv) == "Use the data of d.csv"
    assert describe_change(csv, formulas) == "Use the article's formulas"
    other = csv.replace(data=dataclasses.replace(csv.data, missing_policy="mean"))
    assert describe_change(csv, other) == "Set missing values to mean"
    moved = csv.replace(data=dataclasses.replace(csv.data, path=str(tmp_path / "e.csv")))
    assert describe_change(csv, moved) == "Use the data of e.csv"
    stamped = csv.replace(data=dataclasses.replace(csv.data, size=10, sha256="0" * 64))
    assert stamped == csv and describe_change(csv, stamped) == "No change"


def test_a_preset_on_a_csv_file_keeps_the_file_and_fits_its_rows(bench, tmp_path):
    from nngui.core.presets import ARTICLE, FAST

    csv = csv_settings(tmp_path)
    bench.edit(csv, "Use the data of d.csv")
    bench.apply_preset(FAST.name)
    data = bench.settings.data
    assert data.path == csv.data.path and data.inputs == csv.data.inputs
    assert data.val_ratio == FAST.data.val_ratio
    n_train = len(bench.session.dataset.train)
    assert bench.settings.training.batch_size == max(1, n_train // 4) < FAST.training.batch_size
    assert bench.settings.training.patience > 0  # early stopping on the validation split
    assert [layer.units for layer in bench.settings.layers] == [32, 1]
    assert bench.stack.undo_text() == f"Apply preset {FAST.name}"
    bench.apply_preset(ARTICLE.name)
    assert bench.settings.training == ARTICLE.training and bench.settings.data.val_ratio == 0
    assert [layer.units for layer in bench.settings.layers] == [4, 4, 1]


def test_data_that_cannot_be_read_changes_nothing_on_edit_undo_or_redo(bench, tmp_path):
    from nngui.core.csv_dialect import CsvError

    csv = csv_settings(tmp_path)
    path = tmp_path / "d.csv"
    before, session = bench.settings, bench.session
    path.write_text("x,kind,y\n1,u,2\n")  # too few rows to split
    with pytest.raises(CsvError, match="too few rows"):
        bench.edit(csv, "Use the data of d.csv")
    assert bench.settings is before and bench.session is session and not bench.stack.can_undo()
    csv = csv_settings(tmp_path)
    bench.edit(csv, "Use the data of d.csv")
    on_csv = bench.session
    bench.stack.undo()
    path.unlink()  # gone before the redo
    with pytest.raises(CsvError):
        bench.stack.redo()
    assert bench.settings.data == before.data and bench.stack.redo_text() == "Use the data of d.csv"
    csv_settings(tmp_path)  # back again: the redo works
    bench.stack.redo()
    assert bench.settings == csv and bench.session is not on_csv
    bench.set_data(shuffle_seed=5)
    path.unlink()
    with pytest.raises(CsvError, match="no such file"):
        bench.stack.undo()
    assert bench.settings.data.shuffle_seed == 5 and bench.stack.undo_text() == (
        "Set shuffle seed to 5"
    )
