"""TrainingRun: the GUI thread's handle on one training worker and its thread at a time.

The main window asks it to start, pause, resume, step and stop, and hears back through its
signals, which carry only what the *current* worker sent: a stopped worker's late signals are
dropped here. ``ended`` comes after the worker's thread has been joined, so a receiver may read
the trainer again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal, Slot

from nngui.core.training import ProgressReport, RunResult, Trainer
from nngui.gui.worker import TrainingWorker, join, start_worker


class TrainingRun(QObject):
    """Runs one ``TrainingWorker`` at a time in its own thread; lives in the GUI thread."""

    # (ProgressReport): the worker's progress report (see TrainingWorker.progress).
    progress = Signal(object)
    # (params): copies of the network's parameter arrays (see TrainingWorker.snapshot).
    snapshot = Signal(object)
    # (epoch): the run has paused after this epoch.
    paused = Signal(int)
    # (outcome, message): the run is over and its thread joined; outcome as in the core, or
    # "failed" with the error's first line as the message.
    ended = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker: TrainingWorker | None = None
        self._thread: QThread | None = None
        #: How the last joined run ended (None before the first, or if it failed).
        self.last_result: RunResult | None = None

    @property
    def running(self) -> bool:
        """Whether a worker is training or paused."""
        return self._worker is not None

    @property
    def worker(self) -> TrainingWorker | None:
        """The current worker (for tests and diagnostics), or None."""
        return self._worker

    @property
    def worker_thread(self) -> QThread | None:
        """The current worker's thread, or None (not QObject.thread(), this object's own)."""
        return self._thread

    def start(self, trainer: Trainer, epochs: int, restore_best: bool = True) -> None:
        """Train ``trainer`` for ``epochs`` more epochs in a new thread (none may be running).

        ``restore_best``: put back the best validation weights at the end (not for a Step).
        """
        if self._worker is not None:
            raise RuntimeError("a training run is already going")
        self.last_result = None
        worker = TrainingWorker(trainer, epochs, restore_best=restore_best)
        worker.progress.connect(self._on_progress)
        worker.snapshot.connect(self._on_snapshot)
        worker.paused.connect(self._on_paused)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        self._worker = worker
        self._thread = start_worker(worker)

    # ----- controls -----------------------------------------------------------------------
    def pause(self) -> None:
        """Pause after the current epoch."""
        if self._worker is not None:
            self._worker.request_pause()

    def resume(self) -> None:
        """Continue a paused run."""
        if self._worker is not None:
            self._worker.resume()

    def step(self) -> None:
        """While paused, train one more epoch."""
        if self._worker is not None:
            self._worker.step_once()

    def request_stop(self) -> None:
        """Ask the run to stop at the next step; ``ended`` follows."""
        if self._worker is not None:
            self._worker.request_stop()

    def set_learning_rate(self, lr: float) -> None:
        """Use learning rate ``lr`` from the next step on."""
        if self._worker is not None:
            self._worker.set_learning_rate(lr)

    def stop_and_join(self) -> str:
        """Stop the run and wait for its thread; returns the run's message ("" if none).

        ``ended`` is not emitted: the caller takes over at once.
        """
        worker, thread = self._worker, self._thread
        if worker is None:
            return ""
        assert thread is not None  # set together with the worker
        join(worker, thread)
        self._worker = self._thread = None
        self.last_result = worker.result
        return worker.result.message if worker.result else ""

    # ----- the worker's signals -----------------------------------------------------------
    def _current(self) -> bool:
        return self._worker is not None and self.sender() is self._worker

    @Slot(object)
    def _on_progress(self, report: ProgressReport) -> None:
        if self._current():
            self.progress.emit(report)

    @Slot(object)
    def _on_snapshot(self, params: list) -> None:
        if self._current():
            self.snapshot.emit(params)

    @Slot(int)
    def _on_paused(self, epoch: int) -> None:
        if self._current():
            self.paused.emit(epoch)

    @Slot(str, str)
    def _on_finished(self, outcome: str, message: str) -> None:
        if self._current():
            self._end(outcome, message)

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        if self._current():
            self._end("failed", text.splitlines()[0])

    def _end(self, outcome: str, message: str) -> None:
        worker, thread = self._worker, self._thread
        assert worker is not None and thread is not None  # only the current worker ends a run
        join(worker, thread, stop=False)
        self.last_result = worker.result
        self._worker = self._thread = None
        self.ended.emit(outcome, message)
