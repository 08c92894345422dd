"""A whole training run as a resumable generator: pause, step and stop between epochs.

``run_events(trainer, epochs, controls)`` trains ``epochs`` more epochs and yields what a
window (or a script) needs to follow it, as typed values:

- ``ProgressReport``: the whole run's progress (target epoch, training seconds and speed,
  pauses excluded) with the history points added since the previous report, at most
  ``progress_rate`` times a second and once at the end of every stretch of training;
- ``Snapshot``: copies of the weights, at most ``snapshot_rate`` times a second, and always
  on a pause, after each single step and after the best weights are put back;
- ``Paused(epoch)``: the run has paused after ``epoch`` and waits for resume, step or stop;
- ``Ended(result)``, last: how the whole run ended.

``RunControls`` is how another thread steers the run: its requests only set thread-safe flags
that the loop reads between steps (a new learning rate between minibatches). A paused run
waits on an Event, waking every ``pause_poll`` seconds at most; it never spins.

The run is a sequence of ``Trainer.iter_run`` calls, one per stretch between pauses (and one
per single step); the time limit counts training time only, across all of them, and the best
validation weights are put back once, when the whole run ends.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from typing import TypeAlias

import numpy as np

from nngui.core.training import Progress, ProgressReport, RunResult, Trainer, kept_message

#: Progress reports per second at most. Every report wakes the GUI thread, which then
#: competes for the GIL: 20 a second keep the progress bar smooth and cost a few per cent
#: less training speed than 30 (bench/bench_gui.py).
PROGRESS_RATE = 20.0
#: Weight snapshots per second at most.
SNAPSHOT_RATE = 4.0
#: How often a paused run wakes up to look at the stop flag, in seconds.
PAUSE_POLL = 0.05


@dataclass(frozen=True)
class Snapshot:
    """Copies of the network's parameter arrays (``Network.params`` layout)."""

    params: list[np.ndarray]


@dataclass(frozen=True)
class Paused:
    """The run has paused after ``epoch``; it waits for resume, step or stop."""

    epoch: int


@dataclass(frozen=True)
class Ended:
    """The run is over. ``result`` is of the whole run: every epoch it trained and its
    training seconds (pauses excluded), and the best weights it put back, if any."""

    result: RunResult


#: What ``run_events`` yields.
RunEvent: TypeAlias = ProgressReport | Snapshot | Paused | Ended


class RunControls:
    """Requests to a running ``run_events`` loop; every method is safe from any thread."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._pause = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._lr: float | None = None
        self._steps = 0

    def request_stop(self) -> None:
        """Stop at the next step boundary; the run ends with outcome "interrupted"."""
        self._stop.set()
        self._wake.set()

    def request_pause(self) -> None:
        """Pause after the current epoch; ``resume``, ``step_once`` or stop continue."""
        self._pause.set()

    def resume(self) -> None:
        """Continue a paused run with its remaining epochs."""
        self._pause.clear()
        self._wake.set()

    def step_once(self) -> None:
        """While paused, train exactly one more epoch and stay paused."""
        with self._lock:
            self._steps += 1
        self._wake.set()

    def set_learning_rate(self, lr: float) -> None:
        """Use learning rate ``lr`` from the next step on; ValueError unless positive."""
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError("learning rate must be a positive number")
        with self._lock:
            self._lr = float(lr)

    def is_pause_requested(self) -> bool:
        """Whether the run is paused or about to pause."""
        return self._pause.is_set()

    def is_stop_requested(self) -> bool:
        """Whether the run has been asked to stop."""
        return self._stop.is_set()

    @property
    def pending_learning_rate(self) -> float | None:
        """The learning rate set but not taken by the loop yet (None: there is none)."""
        with self._lock:
            return self._lr

    def take_learning_rate(self) -> float | None:
        """The pending learning rate, if any, which is then no longer pending (the loop's)."""
        with self._lock:
            lr, self._lr = self._lr, None
        return lr

    def take_step(self) -> bool:
        """Whether a requested single step is due (then it counts as taken); never once a
        stop has been requested (the loop's)."""
        with self._lock:
            if self._steps <= 0 or self._stop.is_set():
                return False
            self._steps -= 1
            return True

    def wait(self, timeout: float) -> None:
        """Block until a request arrives (resume, step, stop) or ``timeout`` seconds pass."""
        self._wake.wait(timeout)
        self._wake.clear()


def run_events(
    trainer: Trainer,
    epochs: int,
    controls: RunControls | None = None,
    *,
    restore_best: bool = True,
    progress_rate: float = PROGRESS_RATE,
    snapshot_rate: float = SNAPSHOT_RATE,
    pause_poll: float = PAUSE_POLL,
    clock: Callable[[], float] = time.perf_counter,
) -> Iterator[RunEvent]:
    """Train ``trainer`` for ``epochs`` more epochs, obeying ``controls``; yield RunEvents.

    The trainer (network, optimiser state, history) belongs to the loop until it has yielded
    ``Ended``. ``restore_best``: put back the best validation weights when the run ends (as
    ``Trainer.run`` does); False for a run that is a single Step, whose epoch is what the user
    asked to see. The rates are per second (> 0); ``clock`` measures training time (the
    limit, the speed, the rates).
    """
    trainer.report_interval = 1.0 / progress_rate
    run = _Run(
        trainer,
        int(epochs),
        controls or RunControls(),
        restore_best=restore_best,
        snapshot_interval=1.0 / snapshot_rate,
        pause_poll=pause_poll,
        clock=clock,
    )
    return run.events()


class _Run:
    """The state of one ``run_events`` loop: what has been sent and the whole run's figures."""

    def __init__(
        self, trainer: Trainer, epochs: int, controls: RunControls, *, restore_best: bool,
        snapshot_interval: float, pause_poll: float, clock: Callable[[], float],
    ) -> None:  # fmt: skip
        self.trainer = trainer
        self.controls = controls
        self.restore_best = restore_best
        self.snapshot_interval = snapshot_interval
        self.pause_poll = pause_poll
        self.clock = clock
        h = trainer.history
        self.sent = (len(h.train_loss), len(h.eval_epochs))
        self.stepping = False
        self.last_snapshot = -math.inf
        # The run's first epoch and its target; its training seconds so far (pauses
        # excluded), and those before the current segment (a stretch between pauses, or a
        # single step).
        self.run_start = h.epochs
        self.target = h.epochs + epochs
        self.spent = self.segment_base = 0.0

    # ----- the run ------------------------------------------------------------------------
    def events(self) -> Iterator[RunEvent]:
        """The whole run: segments between pauses; time limit and speed count training only."""
        h, limit = self.trainer.history, self.trainer.config.time_limit
        while True:
            left = max(limit - self.spent, 1e-9) if limit else 0.0
            result = yield from self._segment(self.target - h.epochs, left)
            if result.outcome != "interrupted" or self.controls.is_stop_requested():
                break
            if not (yield from self._wait_while_paused()):
                break  # stopped while paused
            if h.epochs >= self.target:
                result = RunResult("completed", 0, 0.0, None, "")
                break
        yield from self._whole_run(result)

    def _segment(self, epochs: int, time_limit: float) -> Generator[RunEvent, None, RunResult]:
        """Train ``epochs`` (until a pause or stop), reporting; count its training time."""
        self.segment_base = self.spent
        steps = self.trainer.iter_run(
            epochs,
            should_stop=self._should_stop,
            time_limit=time_limit,
            interrupt_epoch=self._should_interrupt,
            restore_best=False,  # once, when the whole run ends (_whole_run)
            clock=self.clock,
        )
        while True:
            try:
                progress = next(steps)
            except StopIteration as end:
                result: RunResult = end.value
                break
            yield self._report(self._of_whole_run(progress))
            if (snapshot := self._snapshot()) is not None:
                yield snapshot
        self.spent += result.seconds
        if (report := self._unsent()) is not None:
            yield report
        return result

    def _whole_run(self, last: RunResult) -> Iterator[RunEvent]:
        """End with ``last`` segment's outcome and the epochs and training seconds of the whole
        run, after putting back the best validation weights: once per run (not after each
        stretch between pauses, nor when ``restore_best`` is False)."""
        epochs = self.trainer.history.epochs - self.run_start
        result = replace(last, epochs_run=epochs, seconds=self.spent)
        if last.outcome != "diverged" and self.restore_best:
            restored = self.trainer.restore_best_weights()
            if restored is not None:
                yield self._snapshot_now()
                result = replace(result, restored_epoch=restored, message=kept_message(restored))
        yield Ended(result)

    def _wait_while_paused(self) -> Generator[RunEvent, None, bool]:
        """Wait until resumed (True) or stopped (False); run single steps meanwhile."""
        c = self.controls
        yield Paused(self.trainer.history.epochs)
        yield self._snapshot_now()
        while c.is_pause_requested():
            if c.is_stop_requested():
                return False
            c.wait(self.pause_poll)
            while c.take_step():
                self.stepping = True
                try:
                    yield from self._segment(1, 0.0)
                finally:
                    self.stepping = False
                yield self._snapshot_now()
        return not c.is_stop_requested()

    def _should_interrupt(self) -> bool:
        """Between minibatches: apply a new learning rate; end the epoch only on stop."""
        lr = self.controls.take_learning_rate()
        if lr is not None:
            self.trainer.set_learning_rate(lr)
        return self.controls.is_stop_requested()

    def _should_stop(self) -> bool:
        """Between epochs: stop, or pause (unless running a single step)."""
        if self._should_interrupt():
            return True
        return self.controls.is_pause_requested() and not self.stepping

    # ----- reports ------------------------------------------------------------------------
    def _of_whole_run(self, p: Progress) -> Progress:
        """``p`` (of one segment) with the target, training time and speed of the whole run."""
        elapsed = self.segment_base + p.elapsed
        target, rate = self._run_figures(p.epoch, elapsed)
        return replace(p, epochs_target=target, elapsed=elapsed, epochs_per_second=rate)

    def _run_figures(self, epoch: int, elapsed: float) -> tuple[int, float]:
        """The run's target epoch and its speed so far, at ``epoch`` after ``elapsed`` seconds
        of training."""
        rate = (epoch - self.run_start) / elapsed if elapsed > 0 else 0.0
        return max(self.target, epoch), rate

    def _report(self, p: Progress) -> ProgressReport:
        """``p`` with (copies of) the history points not sent yet."""
        h = self.trainer.history
        n_train, n_eval = self.sent
        self.sent = (len(h.train_loss), len(h.eval_epochs))
        return ProgressReport(
            progress=p,
            train_loss=h.train_loss.values[n_train:].copy(),
            eval_epochs=h.eval_epochs.values[n_eval:].copy(),
            val_loss=h.val_loss.values[n_eval:].copy(),
            test_loss=h.test_loss.values[n_eval:].copy(),
            val_accuracy=h.val_accuracy.values[n_eval:].copy(),
            test_accuracy=h.test_accuracy.values[n_eval:].copy(),
        )

    def _unsent(self) -> ProgressReport | None:
        """A report of the history points not sent yet, if there are any."""
        h = self.trainer.history
        if (len(h.train_loss), len(h.eval_epochs)) == self.sent:
            return None
        return self._report(self._latest_progress())

    def _latest_progress(self) -> Progress:
        """Progress made from the history's last points and the whole run's time so far."""
        h = self.trainer.history
        last = h.train_loss.values[-1] if len(h.train_loss) else float("nan")
        val = h.val_loss.values[-1] if len(h.val_loss) else float("nan")
        test = h.test_loss.values[-1] if len(h.test_loss) else float("nan")
        val_acc = h.val_accuracy.values[-1] if len(h.val_accuracy) else float("nan")
        test_acc = h.test_accuracy.values[-1] if len(h.test_accuracy) else float("nan")
        target, rate = self._run_figures(h.epochs, self.spent)
        return Progress(h.epochs, target, float(last), float(val), float(test), self.spent, rate,
                        float(val_acc), float(test_acc))  # fmt: skip

    def _snapshot(self) -> Snapshot | None:
        """A copy of the weights if one is due (``snapshot_interval`` since the last one)."""
        now = self.clock()
        if now - self.last_snapshot < self.snapshot_interval:
            return None
        self.last_snapshot = now
        return Snapshot(self.trainer.net.get_params())

    def _snapshot_now(self) -> Snapshot:
        """A copy of the weights, now."""
        self.last_snapshot = self.clock()
        return Snapshot(self.trainer.net.get_params())
