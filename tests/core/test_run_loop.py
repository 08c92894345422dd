"""run_events: a whole run as typed events; pause, step, resume, stop; the whole run's figures.

The runs here are driven in the test's own thread. Time is a fake clock that only training
moves (``EPOCH_SECONDS`` per epoch), and a paused loop's waits are scripted (``Scripted``),
so nothing depends on how fast the machine is and nothing sleeps.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from nngui.core.data import DataSpec, make_dataset
from nngui.core.network import LayerSpec, Network
from nngui.core.run_loop import (
    Ended,
    Paused,
    RunControls,
    RunEvent,
    Snapshot,
    run_events,
)
from nngui.core.training import ProgressReport, TrainConfig, Trainer, kept_message

#: Training seconds per epoch on the fake clock (a power of two: sums of it are exact).
EPOCH_SECONDS = 0.125


class Clock:
    """A fake clock: reading it does not move it; ``advance`` does."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_trainer(config: TrainConfig | None = None, val_ratio: float = 0.0) -> Trainer:
    """A small trainer on the article's task."""
    spec = DataSpec(samples=200, val_ratio=val_ratio)
    rng = np.random.RandomState(spec.seed)
    ds = make_dataset(spec, rng)
    net = Network.initialise(ds.n_inputs, [LayerSpec(4, "relu"), LayerSpec(3, "linear")], rng)
    return Trainer(net, ds, config or TrainConfig())


def timed(trainer: Trainer) -> Clock:
    """A fake clock on which each of ``trainer``'s epochs takes EPOCH_SECONDS."""
    clock = Clock()
    train_epoch = trainer.train_epoch

    def timed_epoch(*args, **kwargs):
        clock.advance(EPOCH_SECONDS)
        return train_epoch(*args, **kwargs)

    trainer.train_epoch = timed_epoch
    return clock


class Scripted(RunControls):
    """RunControls whose ``wait`` (called only by a paused loop) does the next scripted
    action instead of blocking, and records the epoch the loop waited at."""

    def __init__(self, trainer: Trainer, *actions: Callable[[], None]) -> None:
        super().__init__()
        self.trainer = trainer
        self.actions = list(actions)
        self.waited_at: list[int] = []

    def wait(self, timeout: float) -> None:
        self.waited_at.append(self.trainer.history.epochs)
        self.actions.pop(0)()
        super().wait(0.0)


def pause_at(events: Iterator[RunEvent], controls: RunControls, epoch: int) -> list[RunEvent]:
    """Request a pause at the report of ``epoch``; the events up to ``Paused`` (included)."""
    seen: list[RunEvent] = []
    for event in events:
        seen.append(event)
        if isinstance(event, ProgressReport) and event.progress.epoch == epoch:
            controls.request_pause()
        if isinstance(event, Paused):
            return seen
    raise AssertionError("the run never paused")


def reports(events: list[RunEvent]) -> list[ProgressReport]:
    return [e for e in events if isinstance(e, ProgressReport)]


def sent_train_loss(events: list[RunEvent]) -> np.ndarray:
    return np.concatenate([r.train_loss for r in reports(events)])


def same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


# ----- an uninterrupted run --------------------------------------------------------------
@pytest.mark.parametrize(
    ("config", "val_ratio"),
    [
        (TrainConfig(), 0.0),
        (TrainConfig(optimizer="adam", batch_size=16, lr=0.01, shuffle_seed=3), 0.2),
    ],
)
def test_an_uninterrupted_run_is_trainer_run_bit_for_bit(config, val_ratio) -> None:
    reference = make_trainer(config, val_ratio)
    reference.report_interval = math.inf  # evaluations on the epoch schedule only
    expected = reference.run(500)
    trainer = make_trainer(config, val_ratio)
    events = list(run_events(trainer, 500, clock=lambda: 0.0))  # time stands still: the same
    got = events[-1]
    assert isinstance(got, Ended)
    for key, values in reference.history.arrays().items():
        np.testing.assert_array_equal(trainer.history.arrays()[key], values, err_msg=key)
    assert same(trainer.net.params, reference.net.params)
    assert (got.result.outcome, got.result.epochs_run) == (expected.outcome, expected.epochs_run)
    assert (got.result.restored_epoch, got.result.message) == (
        expected.restored_epoch,
        expected.message,
    )


def test_events_come_in_order_and_add_up_to_the_history() -> None:
    trainer = make_trainer()
    clock = timed(trainer)
    events = list(run_events(trainer, 40, clock=clock))
    assert isinstance(events[-1], Ended) and not any(isinstance(e, Ended) for e in events[:-1])
    assert all(isinstance(e, ProgressReport | Snapshot) for e in events[:-1])
    assert isinstance(events[0], ProgressReport)  # the first report comes before a snapshot
    # Every epoch is 0.125 s: each is due for a report (and the run's end makes one more,
    # with no new points), every other one for a snapshot.
    assert [r.progress.epoch for r in reports(events)] == [*range(1, 41), 40]
    assert len(reports(events)[-1].train_loss) == 0
    assert sum(isinstance(e, Snapshot) for e in events) == 20
    np.testing.assert_array_equal(sent_train_loss(events), trainer.history.train_loss.values)
    sent_eval = np.concatenate([r.eval_epochs for r in reports(events)])
    np.testing.assert_array_equal(sent_eval, trainer.history.eval_epochs.values[1:])
    last = reports(events)[-1].progress
    assert (last.epoch, last.epochs_target, last.elapsed) == (40, 40, 40 * EPOCH_SECONDS)
    assert last.epochs_per_second == 1 / EPOCH_SECONDS
    result = events[-1].result
    assert (result.outcome, result.epochs_run, result.seconds) == ("completed", 40, 5.0)


def test_reports_and_snapshots_are_copies() -> None:
    trainer = make_trainer()
    events = list(run_events(trainer, 20))
    report = reports(events)[-1]
    assert report.train_loss.base is None or report.train_loss.base is not (
        trainer.history.train_loss.values.base
    )
    snapshot = [e for e in events if isinstance(e, Snapshot)][-1]
    assert all(s is not p for s, p in zip(snapshot.params, trainer.net.params, strict=True))


def test_a_resumed_network_reports_only_its_new_points() -> None:
    trainer = make_trainer()
    trainer.run(30)
    events = list(run_events(trainer, 20, clock=timed(trainer)))
    np.testing.assert_array_equal(sent_train_loss(events), trainer.history.train_loss.values[30:])
    last = reports(events)[-1].progress
    assert (last.epoch, last.epochs_target) == (50, 50)
    assert events[-1].result.epochs_run == 20


# ----- pause, step, resume, stop ---------------------------------------------------------
def test_pause_then_steps_train_one_epoch_each_and_stay_paused_then_resume() -> None:
    trainer = make_trainer()
    clock = timed(trainer)
    controls = Scripted(trainer)
    controls.actions = [controls.step_once, controls.step_once, controls.resume]
    events = run_events(trainer, 100, controls, clock=clock)
    seen = pause_at(events, controls, 10)
    assert seen[-1] == Paused(10) and trainer.history.epochs == 10
    forced = next(events)
    assert isinstance(forced, Snapshot) and same(forced.params, trainer.net.params)
    rest = list(events)
    # The loop waited at 10, stepped to 11 and waited again (still paused), stepped to 12
    # and waited again; then it resumed to the target.
    assert controls.waited_at == [10, 11, 12]
    assert trainer.history.epochs == 100 and rest[-1].result.outcome == "completed"
    assert sum(isinstance(e, Paused) for e in seen + rest) == 1
    assert sorted({r.progress.epoch for r in reports(rest)})[:2] == [11, 12]
    np.testing.assert_array_equal(sent_train_loss(seen + rest), trainer.history.train_loss.values)
    result = rest[-1].result
    assert (result.epochs_run, result.seconds) == (100, 100 * EPOCH_SECONDS)


def test_each_step_ends_with_a_snapshot_of_its_weights() -> None:
    trainer = make_trainer()
    controls = Scripted(trainer)
    controls.actions = [controls.step_once, controls.request_stop]
    events = run_events(trainer, 100, controls, clock=timed(trainer))
    pause_at(events, controls, 1)
    assert isinstance(next(events), Snapshot)  # the pause's
    stepped = False
    for event in events:
        stepped = stepped or isinstance(event, ProgressReport)
        if stepped and isinstance(event, Snapshot):
            assert trainer.history.epochs == 2 and same(event.params, trainer.net.params)
            break
    else:
        raise AssertionError("no snapshot after the step")
    rest = list(events)
    assert [type(e) for e in rest] == [Ended] and rest[0].result.outcome == "interrupted"


def test_stop_while_paused_ends_interrupted_without_training() -> None:
    trainer = make_trainer()
    clock = timed(trainer)
    controls = Scripted(trainer)
    controls.actions = [controls.request_stop]
    events = run_events(trainer, 1_000_000, controls, clock=clock)
    pause_at(events, controls, 5)
    rest = list(events)
    assert isinstance(rest[-1], Ended)
    result = rest[-1].result
    assert (result.outcome, result.message) == ("interrupted", "")
    assert result.epochs_run == trainer.history.epochs == 5
    assert controls.waited_at == [5]


def test_a_stop_before_the_first_epoch_trains_nothing() -> None:
    trainer = make_trainer()
    controls = RunControls()
    controls.request_stop()
    events = list(run_events(trainer, 100, controls))
    assert [type(e) for e in events] == [Ended]
    assert events[0].result.outcome == "interrupted" and events[0].result.epochs_run == 0


def test_a_stop_while_training_ends_the_run() -> None:
    trainer = make_trainer()
    controls = RunControls()
    events = run_events(trainer, 1_000_000, controls, clock=timed(trainer))
    for event in events:
        if isinstance(event, ProgressReport):
            controls.request_stop()
            break
    rest = list(events)
    assert isinstance(rest[-1], Ended) and rest[-1].result.outcome == "interrupted"
    assert not any(isinstance(e, Paused) for e in rest)
    assert trainer.history.epochs < 1_000_000


def test_a_pause_in_a_minibatch_run_keeps_epochs_whole() -> None:
    config = TrainConfig(optimizer="adam", batch_size=4)
    trainer = make_trainer(config)
    controls = Scripted(trainer)
    controls.actions = [controls.step_once, controls.request_stop]
    events = run_events(trainer, 1_000, controls, clock=timed(trainer))
    pause_at(events, controls, 1)
    batches = math.ceil(len(trainer.x_train) / 4)
    assert trainer.optimizer.t == trainer.history.epochs * batches
    list(events)
    assert trainer.optimizer.t == trainer.history.epochs * batches


def test_a_new_learning_rate_is_applied_at_the_next_step() -> None:
    trainer = make_trainer()
    controls = RunControls()
    events = run_events(trainer, 50, controls, clock=timed(trainer))
    next(e for e in events if isinstance(e, ProgressReport))
    controls.set_learning_rate(0.005)
    assert controls.pending_learning_rate == 0.005 and trainer.optimizer.lr == 0.01
    next(e for e in events if isinstance(e, ProgressReport))
    assert controls.pending_learning_rate is None and trainer.optimizer.lr == 0.005
    assert isinstance(list(events)[-1], Ended)


def test_a_new_learning_rate_is_applied_between_minibatches() -> None:
    trainer = make_trainer(TrainConfig(optimizer="sgd", batch_size=8))
    controls = RunControls()
    batches = []

    def step(params, grads, step=trainer.optimizer.step):
        batches.append(trainer.optimizer.lr)
        if len(batches) == 3:  # in the middle of the first epoch
            controls.set_learning_rate(0.003)
        step(params, grads)

    trainer.optimizer.step = step
    list(run_events(trainer, 1, controls))
    assert batches[:4] == [0.01, 0.01, 0.01, 0.003] and len(batches) > 4


@pytest.mark.parametrize("bad", [0.0, -0.1, math.nan, math.inf])
def test_a_bad_learning_rate_is_refused(bad) -> None:
    with pytest.raises(ValueError, match="positive"):
        RunControls().set_learning_rate(bad)


def test_a_paused_loop_waits_for_a_request_not_in_a_spin() -> None:
    import threading

    controls = RunControls()
    threading.Timer(0.01, controls.step_once).start()
    done = threading.Event()
    waiter = threading.Thread(target=lambda: (controls.wait(60.0), done.set()))
    waiter.start()
    waiter.join(30.0)
    assert done.is_set() and controls.take_step() and not controls.take_step()
    controls.request_stop()
    controls.step_once()
    assert not controls.take_step(), "no more steps once stopped"


# ----- the whole run's figures -----------------------------------------------------------
def test_the_time_limit_and_the_speed_count_training_time_across_pauses() -> None:
    trainer = make_trainer(TrainConfig(time_limit=1.0))  # 8 epochs of 0.125 s
    clock = timed(trainer)
    controls = Scripted(trainer)

    def later(action: Callable[[], None]) -> Callable[[], None]:
        return lambda: (clock.advance(1000.0), action())  # paused far beyond the limit

    controls.actions = [later(controls.step_once), later(controls.resume)]
    events = run_events(trainer, 1_000_000, controls, clock=clock)
    seen = pause_at(events, controls, 3)
    rest = list(events)
    result = rest[-1].result
    assert (result.outcome, result.epochs_run, result.seconds) == ("time_limit", 8, 1.0)
    assert controls.waited_at == [3, 4]
    last = reports(rest)[-1].progress
    assert (last.epoch, last.epochs_target, last.elapsed) == (8, 1_000_000, 1.0)
    assert last.epochs_per_second == 8.0  # the whole run's speed: pauses do not lower it
    elapsed = [r.progress.elapsed for r in reports(seen + rest)]
    assert elapsed == sorted(elapsed) and max(elapsed) == 1.0


def test_a_run_over_its_time_limit_after_steps_ends_at_once_on_resume() -> None:
    trainer = make_trainer(TrainConfig(time_limit=0.25))
    clock = timed(trainer)
    controls = Scripted(trainer)
    controls.actions = [controls.step_once, controls.step_once, controls.resume]
    events = run_events(trainer, 1_000_000, controls, clock=clock)
    pause_at(events, controls, 1)
    result = list(events)[-1].result
    # Steps ignore the limit but count towards it: after resuming, one epoch ends the run.
    assert (result.outcome, result.epochs_run) == ("time_limit", 4)


# ----- the best validation weights ---------------------------------------------------------
def planted_best(trainer: Trainer) -> list[np.ndarray]:
    """Make epoch 0 hold "best" weights that no later epoch beats; return them."""
    best = [np.full_like(p, 0.5) for p in trainer.net.params]
    trainer.best_params, trainer.best_epoch, trainer.best_val = best, 0, -np.inf
    return best


def count_restores(trainer: Trainer) -> list[int | None]:
    calls: list[int | None] = []
    restore = trainer.restore_best_weights

    def counted():
        calls.append(restore())
        return calls[-1]

    trainer.restore_best_weights = counted
    return calls


def test_best_weights_come_back_once_at_the_end_not_at_pauses_or_steps() -> None:
    trainer = make_trainer(val_ratio=0.2)
    best = planted_best(trainer)
    restores = count_restores(trainer)
    controls = Scripted(trainer)
    after_step: list[list[np.ndarray]] = []
    controls.actions = [
        controls.step_once,
        lambda: (after_step.append(trainer.net.get_params()), controls.resume()),
    ]
    events = run_events(trainer, 60, controls, clock=timed(trainer))
    pause_at(events, controls, 20)
    assert not same(trainer.net.params, best), "paused: the network goes on from its weights"
    rest = list(events)
    assert not same(after_step[0], best), "a step moves the network on"
    assert restores == [0]
    result = rest[-1].result
    assert (result.outcome, result.restored_epoch) == ("completed", 0)
    assert result.message == kept_message(0)
    assert same(trainer.net.params, best)
    assert isinstance(rest[-2], Snapshot) and same(rest[-2].params, best), "shown what is kept"


def test_a_run_without_restore_best_keeps_its_last_weights() -> None:
    trainer = make_trainer(val_ratio=0.2)
    best = planted_best(trainer)
    restores = count_restores(trainer)
    events = list(run_events(trainer, 1, restore_best=False))
    result = events[-1].result
    assert (result.outcome, result.message, result.restored_epoch) == ("completed", "", None)
    assert restores == [] and trainer.history.epochs == 1
    assert not same(trainer.net.params, best)
