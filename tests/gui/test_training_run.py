"""TrainingRun: one worker at a time, late signals of a stopped worker dropped, ended after join."""

from __future__ import annotations

import pytest

from nngui.core.training import TrainConfig
from nngui.gui.training_run import TrainingRun


@pytest.fixture
def run(qtbot):
    r = TrainingRun()
    yield r
    r.stop_and_join()


def test_a_run_ends_after_its_thread_is_joined(qtbot, run, make_trainer):
    trainer = make_trainer(config=TrainConfig(epochs=50))
    progress = []
    run.progress.connect(progress.append)
    with qtbot.waitSignal(run.ended, timeout=10_000) as ended:
        run.start(trainer, 50)
        thread = run.worker_thread
        assert run.running
    assert ended.args == ["completed", ""]
    assert not run.running and run.worker is None
    assert thread is None or not thread.isRunning()
    assert progress and progress[-1].progress.epoch == 50


def test_one_run_at_a_time(run, make_trainer):
    run.start(make_trainer(config=TrainConfig(epochs=10**7)), 10**7)
    with pytest.raises(RuntimeError):
        run.start(make_trainer(), 10)


def test_stop_and_join_is_silent_and_drops_late_signals(qtbot, run, make_trainer):
    trainer = make_trainer(config=TrainConfig(epochs=10**7))
    ended, snapshots = [], []
    run.ended.connect(lambda *a: ended.append(a))
    run.snapshot.connect(snapshots.append)
    run.start(trainer, 10**7)
    qtbot.waitUntil(lambda: trainer.history.epochs > 100, timeout=10_000)
    run.stop_and_join()
    assert not run.running
    before = len(snapshots)
    qtbot.wait(100)  # queued signals of the stopped worker arrive now and are dropped
    assert ended == [] and len(snapshots) == before
    assert run.stop_and_join() == ""  # nothing to stop: harmless


def test_failure_ends_the_run_with_the_first_line(qtbot, run, make_trainer, monkeypatch):
    trainer = make_trainer()

    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(trainer, "train_epoch", broken)
    with qtbot.waitSignal(run.ended, timeout=10_000) as ended:
        run.start(trainer, 10)
    assert ended.args == ["failed", "RuntimeError: boom"]


def test_controls_without_a_run_do_nothing(run):
    run.pause()
    run.resume()
    run.step()
    run.request_stop()
    run.set_learning_rate(0.1)
    assert not run.running
