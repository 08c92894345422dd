"""StepwiseJob: a refresh spread over event-loop turns, one step per turn, newest wins.

A costly live refresh (predicting every split, computing an error map) written as a generator
that yields between steps runs here one step per event-loop turn, so that the window answers
in between while the trainer holds the GIL. Starting a new job drops what is left of the old
one; ``flush`` finishes the current job at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer


class StepwiseJob(QObject):
    """Runs one generator a step per event-loop turn (see the module docstring)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job: Iterator[None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.advance)

    def start(self, job: Iterator[None]) -> None:
        """Run ``job`` from the next turn on, instead of whatever was left of the last one."""
        self._job = job
        self._timer.start(0)

    def run_now(self, job: Iterator[None] | None) -> None:
        """Drop any job left and run ``job`` (if any) to its end now."""
        self._timer.stop()
        self._job = job
        self.flush()

    def flush(self) -> None:
        """Finish the current job now."""
        self._timer.stop()
        job, self._job = self._job, None
        for _ in job or ():
            pass

    def pending(self) -> bool:
        """Whether the job has steps left."""
        return self._job is not None

    def advance(self) -> None:
        """Take the next step, and ask for another turn if one is left."""
        if self._job is None:
            return
        try:
            next(self._job)
        except StopIteration:
            self._job = None
        else:
            self._timer.start(0)
