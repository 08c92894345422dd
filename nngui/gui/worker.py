"""TrainingWorker: runs a core Trainer in a QThread and turns its callables into signals.

This is the only thread code of the GUI. The main window builds a ``Trainer`` from *copies* of
its network and history, hands it to a worker and never touches it until the thread has been
joined. The worker sends plain values across: progress with the history points added since
the last report, and weight copies at a low rate.

Wiring (see ``start_worker``)::

    worker.moveToThread(thread); thread.started → worker.run; worker.finished → thread.quit;
    worker.failed → thread.quit; thread.finished → worker.deleteLater, thread.deleteLater

Controls (``request_stop``, ``request_pause``, ``resume``, ``step_once``,
``set_learning_rate``) may be called from the GUI thread at any time: they only set
thread-safe flags that the training loop reads between steps.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import threading
import time
import traceback
from collections.abc import Iterator

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from nngui.core.training import Progress, ProgressReport, RunResult, Trainer, kept_message

#: Progress reports per second at most (the core throttles ``on_progress`` to this). Every
#: report wakes the GUI thread, which then competes for the GIL: 20 a second keep the
#: progress bar smooth and cost a few per cent less training speed than 30 (bench_gui.py).
PROGRESS_RATE = 20.0
#: Weight snapshots per second at most.
SNAPSHOT_RATE = 4.0
#: How often a paused worker wakes up to look at the stop flag, in seconds.
PAUSE_POLL = 0.05


@contextlib.contextmanager
def blas_threads_for_worker() -> Iterator[None]:
    """Leave one core to the GUI thread while training: BLAS gets ``cpu_count - 1`` threads.

    Multi-threaded BLAS spins on every core; with the GUI thread (and anything else) wanting
    one, a 2-core machine then trains 10× slower and the window stalls. Needs threadpoolctl;
    without it nothing is changed.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=max(1, (os.cpu_count() or 2) - 1), user_api="blas"):
        yield


class TrainingWorker(QObject):
    """Train ``trainer`` for ``epochs`` more epochs in a worker thread.

    The trainer (network, data, optimiser state, history) belongs to the worker while it runs;
    read it again only after the thread has finished (``QThread.wait``).
    """

    # ProgressReport: the latest progress and the history points added since the previous
    # report (copies). At most PROGRESS_RATE per second.
    progress = Signal(object)
    # list[ndarray]: copies of the network's parameter arrays (Network.params layout), at most
    # SNAPSHOT_RATE per second.
    snapshot = Signal(object)
    # (outcome, message): one of the core's OUTCOMES and its explanation ("" if none).
    finished = Signal(str, str)
    # (text): an exception escaped the training loop; the run is over.
    failed = Signal(str)
    # (epoch): the loop has paused after this epoch and waits for resume, step or stop.
    paused = Signal(int)

    def __init__(
        self, trainer: Trainer, epochs: int, parent: QObject | None = None,
        restore_best: bool = True,
    ) -> None:  # fmt: skip
        """``restore_best``: put back the best validation weights when the run ends (as the
        core's ``Trainer.run`` does); False for a single Step."""
        super().__init__(parent)
        self.trainer = trainer
        self.restore_best = restore_best
        self.trainer.report_interval = 1.0 / PROGRESS_RATE
        self.epochs = int(epochs)
        self.result: RunResult | None = None
        self._stop = threading.Event()
        self._pause = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._lr: float | None = None
        self._steps = 0
        self._stepping = False
        self._sent = (len(trainer.history.train_loss), len(trainer.history.eval_epochs))
        self._last_snapshot = 0.0
        # The run's first epoch, its training seconds so far (pauses excluded), and those
        # before the current segment (a stretch between pauses, or a single step).
        self._run_start = self._target = trainer.history.epochs
        self._spent = self._segment_base = 0.0

    # ----- controls (any thread) ----------------------------------------------------------
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
        """Use learning rate ``lr`` from the next step on."""
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError("learning rate must be a positive number")
        with self._lock:
            self._lr = float(lr)

    def is_pause_requested(self) -> bool:
        """Whether the run is paused or about to pause."""
        return self._pause.is_set()

    # ----- the thread's work --------------------------------------------------------------
    @Slot()
    def run(self) -> None:
        """Train, pausing and resuming on request; emit ``finished`` or ``failed`` once."""
        try:
            with blas_threads_for_worker():
                result = self._train()
        except Exception as exc:  # never let an exception escape into Qt's event loop
            self.failed.emit(
                f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8).rstrip()}"
            )
            return
        self.result = result
        self.finished.emit(result.outcome, result.message)

    def _train(self) -> RunResult:
        """The whole run: segments between pauses; time limit and speed count training only."""
        t = self.trainer
        start = t.history.epochs
        target = start + self.epochs
        limit = t.config.time_limit
        self._run_start, self._target, self._spent = start, target, 0.0
        while True:
            left = limit - self._spent if limit else 0.0
            result = self._segment(target - t.history.epochs, max(left, 1e-9) if limit else 0.0)
            if result.outcome != "interrupted" or self._stop.is_set():
                return self._whole_run(result)
            if not self._wait_while_paused():
                return self._whole_run(result)  # stopped while paused
            if t.history.epochs >= target:
                return self._whole_run(RunResult("completed", 0, 0.0, None, ""))

    def _segment(self, epochs: int, time_limit: float) -> RunResult:
        """Run the trainer for ``epochs`` (until a pause or stop); count its training time."""
        self._segment_base = self._spent
        result = self.trainer.run(
            epochs,
            on_progress=self._on_progress,
            should_stop=self._should_stop,
            time_limit=time_limit,
            interrupt_epoch=self._should_interrupt,
            restore_best=False,  # once, when the whole run ends (_whole_run)
        )
        self._spent += result.seconds
        self._flush()
        return result

    def _whole_run(self, last: RunResult) -> RunResult:
        """``last`` segment's outcome with the epochs and training seconds of the whole run.

        The best validation weights are put back here, once per run (not after each stretch
        between pauses, nor after a run that is a single Step: its epoch is what the user
        asked to see).
        """
        epochs = self.trainer.history.epochs - self._run_start
        result = dataclasses.replace(last, epochs_run=epochs, seconds=self._spent)
        if last.outcome == "diverged" or not self.restore_best:
            return result
        restored = self.trainer.restore_best_weights()
        if restored is None:
            return result
        self._send_snapshot(force=True)
        return dataclasses.replace(result, restored_epoch=restored, message=kept_message(restored))

    def _should_interrupt(self) -> bool:
        """Between minibatches: apply a new learning rate; end the epoch only on stop."""
        with self._lock:
            lr, self._lr = self._lr, None
        if lr is not None:
            self.trainer.set_learning_rate(lr)
        return self._stop.is_set()

    def _should_stop(self) -> bool:
        """Between epochs: stop, or pause (unless running a single step)."""
        if self._should_interrupt():
            return True
        return self._pause.is_set() and not self._stepping

    def _wait_while_paused(self) -> bool:
        """Block until resumed (True) or stopped (False); run single steps meanwhile."""
        self.paused.emit(self.trainer.history.epochs)
        self._send_snapshot(force=True)
        while self._pause.is_set():
            if self._stop.is_set():
                return False
            self._wake.wait(PAUSE_POLL)
            self._wake.clear()
            while self._take_step():
                self._stepping = True
                try:
                    self._segment(1, 0.0)
                finally:
                    self._stepping = False
                self._send_snapshot(force=True)
        return not self._stop.is_set()

    def _take_step(self) -> bool:
        with self._lock:
            if self._steps <= 0 or self._stop.is_set():
                return False
            self._steps -= 1
            return True

    # ----- reports ------------------------------------------------------------------------
    def _on_progress(self, p: Progress) -> None:
        self._flush(self._of_whole_run(p))
        self._send_snapshot()

    def _of_whole_run(self, p: Progress) -> Progress:
        """``p`` (of one segment) with the target, training time and speed of the whole run."""
        elapsed = self._segment_base + p.elapsed
        target, rate = self._run_figures(p.epoch, elapsed)
        return dataclasses.replace(p, epochs_target=target, elapsed=elapsed, epochs_per_second=rate)

    def _run_figures(self, epoch: int, elapsed: float) -> tuple[int, float]:
        """The run's target epoch and its speed so far, at ``epoch`` after ``elapsed`` seconds
        of training."""
        rate = (epoch - self._run_start) / elapsed if elapsed > 0 else 0.0
        return max(self._target, epoch), rate

    def _flush(self, p: Progress | None = None) -> None:
        """Emit the history points not sent yet (with ``p``, or a Progress made from them)."""
        h = self.trainer.history
        n_train, n_eval = self._sent
        if p is None and len(h.train_loss) == n_train and len(h.eval_epochs) == n_eval:
            return
        report = ProgressReport(
            progress=p if p is not None else self._latest_progress(),
            train_loss=h.train_loss.values[n_train:].copy(),
            eval_epochs=h.eval_epochs.values[n_eval:].copy(),
            val_loss=h.val_loss.values[n_eval:].copy(),
            test_loss=h.test_loss.values[n_eval:].copy(),
        )
        self._sent = (len(h.train_loss), len(h.eval_epochs))
        self.progress.emit(report)

    def _latest_progress(self) -> Progress:
        """Progress made from the history's last points and the whole run's time so far."""
        h = self.trainer.history
        last = h.train_loss.values[-1] if len(h.train_loss) else float("nan")
        val = h.val_loss.values[-1] if len(h.val_loss) else float("nan")
        test = h.test_loss.values[-1] if len(h.test_loss) else float("nan")
        target, rate = self._run_figures(h.epochs, self._spent)
        return Progress(h.epochs, target, float(last), float(val), float(test), self._spent, rate)

    def _send_snapshot(self, force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - self._last_snapshot >= 1.0 / SNAPSHOT_RATE:
            self._last_snapshot = now
            self.snapshot.emit(self.trainer.net.get_params())


def start_worker(worker: TrainingWorker) -> QThread:
    """Move ``worker`` to a new QThread wired as in docs/architecture.md, start it, return it.

    The caller keeps references to both and ends a run with ``join(worker, thread)``.
    ``finished → quit`` is queued to the GUI thread (where the QThread object lives), so the
    worker object outlives its run until the GUI has handled ``finished``: a receiver may
    compare ``sender()`` with the worker it started.
    """
    thread = QThread()
    thread.setObjectName("nngui-training")
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.failed.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread


def join(worker: TrainingWorker, thread: QThread, stop: bool = True) -> None:
    """Stop the worker (if ``stop``) and wait for its thread to end.

    Safe after the thread has ended and been deleted (``thread.finished → deleteLater``).
    """
    if stop and shiboken6.isValid(worker):
        worker.request_stop()
    if shiboken6.isValid(thread):
        thread.quit()
        thread.wait()
