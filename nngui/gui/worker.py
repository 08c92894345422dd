"""TrainingWorker: runs the core's training generator in a QThread, its events as signals.

This is the only thread code of the GUI, and it is a pump: the whole run (pauses, single
steps, the time limit across pauses, the speed, the best weights put back, the throttling of
reports and snapshots) is ``nngui.core.run_loop.run_events``; the worker iterates it and emits
each event it yields as a signal. The main window builds a ``Trainer`` from *copies* of its
network and history, hands it to a worker and never touches it until the thread has been
joined. The events are plain values: progress with the history points added since the last
report, and weight copies at a low rate.

Wiring (see ``start_worker``)::

    worker.moveToThread(thread); thread.started → worker.run; worker.finished → thread.quit;
    worker.failed → thread.quit; thread.finished → worker.deleteLater, thread.deleteLater

Controls (``request_stop``, ``request_pause``, ``resume``, ``step_once``,
``set_learning_rate``) may be called from the GUI thread at any time: they go to the run's
``RunControls``, which only set thread-safe flags that the loop reads between steps.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Iterator

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from nngui.core.run_loop import (
    PAUSE_POLL,
    PROGRESS_RATE,
    SNAPSHOT_RATE,
    Ended,
    Paused,
    RunControls,
    RunEvent,
    Snapshot,
    run_events,
)
from nngui.core.training import ProgressReport, RunResult, Trainer


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
        self.epochs = int(epochs)
        #: How the run ended (set before ``finished``); None until then or if it failed.
        self.result: RunResult | None = None
        #: The run's controls; the methods below are shorthands for them.
        self.controls = RunControls()

    # ----- controls (any thread) ----------------------------------------------------------
    def request_stop(self) -> None:
        """Stop at the next step boundary; the run ends with outcome "interrupted"."""
        self.controls.request_stop()

    def request_pause(self) -> None:
        """Pause after the current epoch; ``resume``, ``step_once`` or stop continue."""
        self.controls.request_pause()

    def resume(self) -> None:
        """Continue a paused run with its remaining epochs."""
        self.controls.resume()

    def step_once(self) -> None:
        """While paused, train exactly one more epoch and stay paused."""
        self.controls.step_once()

    def set_learning_rate(self, lr: float) -> None:
        """Use learning rate ``lr`` from the next step on (ValueError unless positive)."""
        self.controls.set_learning_rate(lr)

    def is_pause_requested(self) -> bool:
        """Whether the run is paused or about to pause."""
        return self.controls.is_pause_requested()

    # ----- the thread's work --------------------------------------------------------------
    @Slot()
    def run(self) -> None:
        """Train, pausing and resuming on request; emit ``finished`` or ``failed`` once."""
        result: RunResult | None = None
        try:
            with blas_threads_for_worker():
                events = run_events(
                    self.trainer,
                    self.epochs,
                    self.controls,
                    restore_best=self.restore_best,
                    progress_rate=PROGRESS_RATE,
                    snapshot_rate=SNAPSHOT_RATE,
                    pause_poll=PAUSE_POLL,
                )
                for event in events:
                    if isinstance(event, Ended):
                        result = event.result
                    else:
                        self._emit(event)
        except Exception as exc:  # never let an exception escape into Qt's event loop
            self.failed.emit(
                f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8).rstrip()}"
            )
            return
        assert result is not None  # run_events always ends with Ended
        self.result = result
        self.finished.emit(result.outcome, result.message)

    def _emit(self, event: RunEvent) -> None:
        """Send one event of the run (other than its end) as its signal."""
        if isinstance(event, ProgressReport):
            self.progress.emit(event)
        elif isinstance(event, Snapshot):
            self.snapshot.emit(event.params)
        elif isinstance(event, Paused):
            self.paused.emit(event.epoch)


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
