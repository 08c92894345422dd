"""TrainingWorker: throttled progress, snapshots, stop, pause/resume/step, errors, joining."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.training import TrainConfig
from nngui.gui.worker import TrainingWorker, join, start_worker


class Recorder:
    """Collects a worker's signals.

    Plain callables (not QObject slots) are called in the emitting thread: list.append is
    safe there. (qtbot.waitSignal is not used on the worker's signals for the same reason:
    its blocker would then be driven from the worker thread.)
    """

    def __init__(self, worker: TrainingWorker) -> None:
        self.progress: list[dict] = []
        self.snapshots: list[list[np.ndarray]] = []
        self.paused: list[int] = []
        self.finished: list[tuple[str, str]] = []
        self.failed: list[str] = []
        worker.progress.connect(self.progress.append)
        worker.finished.connect(lambda outcome, message: self.finished.append((outcome, message)))
        worker.failed.connect(self.failed.append)
        worker.snapshot.connect(self.snapshots.append)
        worker.paused.connect(self.paused.append)

    def train_points(self) -> np.ndarray:
        return np.concatenate([p.train_loss for p in self.progress])

    def eval_points(self, key: str = "eval_epochs") -> np.ndarray:
        return np.concatenate([getattr(p, key) for p in self.progress])


def run_worker(qtbot, worker: TrainingWorker, timeout: int = 20_000):
    rec = Recorder(worker)
    thread = start_worker(worker)
    qtbot.waitUntil(lambda: bool(rec.finished), timeout=timeout)
    join(worker, thread, stop=False)
    return rec, rec.finished[0]


def start_and_pause(qtbot, trainer, epochs: int, reports: int = 1):
    """Start a worker, let it send ``reports`` progress reports, pause it; (worker, rec, thread)."""
    worker = TrainingWorker(trainer, epochs)
    rec = Recorder(worker)
    thread = start_worker(worker)
    qtbot.waitUntil(lambda: len(rec.progress) >= reports, timeout=10_000)
    worker.request_pause()
    qtbot.waitUntil(lambda: bool(rec.paused), timeout=5_000)
    return worker, rec, thread


def test_progress_is_throttled_and_adds_up(qtbot, make_trainer):
    trainer = make_trainer(samples=20, hidden=(2,), config=TrainConfig(epochs=20_000))
    worker = TrainingWorker(trainer, 20_000)
    rec, (outcome, message) = run_worker(qtbot, worker)
    assert (outcome, message) == ("completed", "")
    assert trainer.history.epochs == 20_000
    # Time-throttled: far fewer reports than epochs, at most ~30 per second.
    assert 1 <= len(rec.progress) < 2_000
    np.testing.assert_array_equal(rec.train_points(), trainer.history.train_loss.values)
    np.testing.assert_array_equal(rec.eval_points(), trainer.history.eval_epochs.values[1:])
    np.testing.assert_array_equal(
        rec.eval_points("test_loss"), trainer.history.test_loss.values[1:]
    )
    last = rec.progress[-1].progress
    assert last.epoch == 20_000 and last.epochs_target == 20_000
    assert rec.snapshots, "at least one weight snapshot"
    assert len(rec.snapshots) <= 4 * max(1.0, last.elapsed) + 2


def test_report_arrays_are_copies(qtbot, make_trainer):
    trainer = make_trainer()
    worker = TrainingWorker(trainer, 50)
    rec, _ = run_worker(qtbot, worker)
    sent = rec.progress[-1].train_loss
    assert sent.base is None or sent.base is not trainer.history.train_loss.values.base
    snapshot = rec.snapshots[-1]
    assert all(s is not p for s, p in zip(snapshot, trainer.net.params, strict=True))


def test_stop_interrupts_and_joins(qtbot, make_trainer):
    trainer = make_trainer(samples=200, config=TrainConfig(epochs=10_000_000))
    worker = TrainingWorker(trainer, 10_000_000)
    rec = Recorder(worker)
    thread = start_worker(worker)
    qtbot.waitUntil(lambda: len(rec.progress) >= 2, timeout=10_000)
    worker.request_stop()
    qtbot.waitUntil(lambda: bool(rec.finished), timeout=5_000)
    join(worker, thread)
    assert rec.finished == [("interrupted", "")]
    assert 0 < trainer.history.epochs < 10_000_000


def test_pause_resume_step_and_total_epochs(qtbot, make_trainer):
    trainer = make_trainer(samples=200, config=TrainConfig(epochs=30_000))
    worker, rec, thread = start_and_pause(qtbot, trainer, 30_000)
    at_pause = rec.paused[0]
    assert 0 < at_pause < 30_000
    qtbot.wait(100)
    assert trainer.history.epochs == at_pause, "no training while paused"
    worker.step_once()
    qtbot.waitUntil(lambda: trainer.history.epochs == at_pause + 1, timeout=5_000)
    worker.set_learning_rate(0.005)
    worker.resume()
    qtbot.waitUntil(lambda: bool(rec.finished), timeout=30_000)
    join(worker, thread, stop=False)
    assert rec.finished == [("completed", "")]
    assert trainer.history.epochs == 30_000
    assert trainer.optimizer.lr == pytest.approx(0.005)
    np.testing.assert_array_equal(rec.train_points(), trainer.history.train_loss.values)


def test_pause_in_a_minibatch_run_keeps_epochs_whole(qtbot, make_trainer):
    config = TrainConfig(optimizer="adam", batch_size=4, epochs=1_000_000)
    trainer = make_trainer(samples=400, config=config)
    worker, rec, thread = start_and_pause(qtbot, trainer, 1_000_000, reports=2)
    batches_per_epoch = len(trainer.x_train) // 4
    assert trainer.optimizer.t == trainer.history.epochs * batches_per_epoch
    worker.step_once()
    qtbot.waitUntil(lambda: trainer.optimizer.t % batches_per_epoch == 0, timeout=5_000)
    worker.request_stop()
    qtbot.waitUntil(lambda: bool(rec.finished), timeout=5_000)
    join(worker, thread)
    assert trainer.optimizer.t == trainer.history.epochs * batches_per_epoch


def test_stop_while_paused(qtbot, make_trainer):
    trainer = make_trainer(config=TrainConfig(epochs=1_000_000))
    worker = TrainingWorker(trainer, 1_000_000)
    rec = Recorder(worker)
    thread = start_worker(worker)
    worker.request_pause()
    qtbot.waitUntil(lambda: bool(rec.paused), timeout=5_000)
    worker.request_stop()
    qtbot.waitUntil(lambda: bool(rec.finished), timeout=5_000)
    join(worker, thread)
    assert rec.finished[0][0] == "interrupted"


def planted_best(trainer) -> list[np.ndarray]:
    """Make epoch 0 hold "best" weights that no later epoch beats; return them."""
    best = [np.full_like(p, 0.5) for p in trainer.net.params]
    trainer.best_params, trainer.best_epoch, trainer.best_val = best, 0, -np.inf
    return best


def same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_best_weights_come_back_once_at_the_end_not_at_pauses_or_steps(qtbot, make_trainer):
    trainer = make_trainer(samples=200, val_ratio=0.2, config=TrainConfig(epochs=10_000_000))
    best = planted_best(trainer)
    worker, rec, thread = start_and_pause(qtbot, trainer, 10_000_000)
    assert not same(trainer.net.params, best), "paused: the network goes on from its weights"
    before = trainer.net.get_params()
    worker.step_once()
    qtbot.waitUntil(lambda: not same(trainer.net.params, before), timeout=5_000)
    assert not same(trainer.net.params, best), "a step moves the network on"
    worker.request_stop()
    qtbot.waitUntil(lambda: bool(rec.finished), timeout=5_000)
    join(worker, thread)
    assert same(trainer.net.params, best) and worker.result.restored_epoch == 0
    assert rec.finished[0] == ("interrupted", "kept the weights of epoch 0, which had the best "
                               "validation loss")  # fmt: skip
    assert same(rec.snapshots[-1], best), "the window is shown the weights it will keep"


def test_a_single_step_run_keeps_its_epoch(qtbot, make_trainer):
    trainer = make_trainer(samples=200, val_ratio=0.2)
    best = planted_best(trainer)
    worker = TrainingWorker(trainer, 1, restore_best=False)
    _, (outcome, message) = run_worker(qtbot, worker)
    assert (outcome, message) == ("completed", "") and worker.result.restored_epoch is None
    assert trainer.history.epochs == 1 and not same(trainer.net.params, best)


def test_pause_with_validation_then_resume_completes(qtbot, make_trainer):
    trainer = make_trainer(samples=200, val_ratio=0.2, config=TrainConfig(epochs=5_000))
    worker = TrainingWorker(trainer, 5_000)
    rec = Recorder(worker)
    thread = start_worker(worker)
    qtbot.waitUntil(lambda: len(rec.paused) == 0 and len(rec.progress) >= 1, timeout=10_000)
    worker.request_pause()
    qtbot.waitUntil(lambda: len(rec.paused) == 1, timeout=10_000)
    np.testing.assert_array_equal(rec.snapshots[-1][0], trainer.net.params[0])
    worker.resume()
    qtbot.waitUntil(lambda: bool(rec.finished), timeout=30_000)
    join(worker, thread, stop=False)
    assert trainer.history.epochs == 5_000


def test_exception_is_reported_not_raised(qtbot, make_trainer):
    trainer = make_trainer()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    trainer.train_epoch = broken
    worker = TrainingWorker(trainer, 10)
    rec = Recorder(worker)
    thread = start_worker(worker)
    qtbot.waitUntil(lambda: bool(rec.failed), timeout=5_000)
    join(worker, thread, stop=False)
    assert not rec.finished  # join returned: the thread has ended
    assert rec.failed[0].startswith("RuntimeError: boom")


def test_bad_learning_rate_is_refused(make_trainer):
    worker = TrainingWorker(make_trainer(), 10)
    with pytest.raises(ValueError, match="positive"):
        worker.set_learning_rate(float("nan"))


def test_time_limit_and_speed_count_training_time_not_pauses(qtbot, make_trainer):
    limit = 0.6
    config = TrainConfig(epochs=10_000_000, time_limit=limit)
    trainer = make_trainer(samples=200, config=config)
    worker, rec, thread = start_and_pause(qtbot, trainer, 10_000_000)
    at_pause = trainer.history.epochs
    before = rec.progress[-1].progress
    qtbot.wait(int(2 * limit * 1000))  # paused longer than the whole time limit
    worker.step_once()  # a step while paused counts towards the run, too
    qtbot.waitUntil(lambda: trainer.history.epochs == at_pause + 1, timeout=5_000)
    worker.resume()
    qtbot.waitUntil(lambda: bool(rec.finished), timeout=20_000)
    join(worker, thread, stop=False)
    assert rec.finished[0][0] == "time_limit"
    after_resume = trainer.history.epochs - at_pause - 1
    assert after_resume > 10, "the run went on after resuming: the pause did not use the limit"
    result = worker.result
    assert result.epochs_run == trainer.history.epochs
    assert limit <= result.seconds < limit + 0.5  # training time only, not the 1.2 s paused
    last = rec.progress[-1].progress
    assert last.epochs_target == 10_000_000 and last.elapsed == pytest.approx(result.seconds)
    # The speed is of the whole run's training time: it does not drop after a pause.
    assert last.epochs_per_second == pytest.approx(trainer.history.epochs / result.seconds)
    assert last.epochs_per_second > 0.3 * before.epochs_per_second
