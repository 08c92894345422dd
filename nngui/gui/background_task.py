"""BackgroundTask: one long job (reading or writing a big file) in a QThread, cancellable.

The job is a plain function ``work(report, cancelled)``: it calls ``report(n)`` now and then
(the rows done so far) and asks ``cancelled()`` between steps. The task sends ``progress(n)``,
then ``done(result)``, ``cancelled()`` or ``failed(message)`` back to the GUI thread, once.
``start_task`` wires it as the training worker is wired (docs/architecture.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from nngui.core.csv_dialect import CancelledError

#: What a job gets: how to report progress, and how to know it should stop.
Work = Callable[[Callable[[int], None], Callable[[], bool]], object]


#: Raised by a job that stopped because it was asked to (the core's reads and writes raise it).
TaskCancelledError = CancelledError


class BackgroundTask(QObject):
    """Runs ``work`` once in a worker thread (see the module docstring)."""

    progress = Signal(int)
    done = Signal(object)
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next step (any thread)."""
        self._stop.set()

    def is_cancelled(self) -> bool:
        """Whether the job was asked to stop."""
        return self._stop.is_set()

    @Slot()
    def run(self) -> None:
        """Do the job; emit exactly one of done, cancelled or failed."""
        try:
            result = self._work(self.progress.emit, self._stop.is_set)
        except TaskCancelledError:
            self.cancelled.emit()
        except Exception as exc:  # never into Qt's event loop: the GUI shows the message
            self.failed.emit(" ".join(str(exc).split()) or type(exc).__name__)
        else:
            if self._stop.is_set():
                self.cancelled.emit()
            else:
                self.done.emit(result)


def start_task(task: BackgroundTask) -> QThread:
    """Move ``task`` to a new thread, start it and return the thread (keep both referenced)."""
    thread = QThread()
    thread.setObjectName("nngui-task")
    task.moveToThread(thread)
    thread.started.connect(task.run)
    for signal in (task.done, task.cancelled, task.failed):
        signal.connect(thread.quit)
    thread.finished.connect(task.deleteLater)
    thread.finished.connect(thread.deleteLater)
    thread.start()
    return thread
