"""RunState: what the training of the current network is doing, and where it may go next.

idle (fresh weights, nothing trained) → training ⇄ paused; a run ends finished (its epochs,
time limit or early stopping), stopped (by the user) or diverged, and any of those may train
again (a continuation) or go back to idle (new weights). ``from_outcome`` maps a
``core.training`` run outcome to the state it leaves.
"""

from __future__ import annotations

from enum import StrEnum


class RunStateError(ValueError):
    """A change of run state that cannot happen (e.g. pausing a finished run)."""


class RunState(StrEnum):
    """The state of the current network's training (equal to its name: ``"idle"`` …)."""

    IDLE = "idle"
    TRAINING = "training"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"
    DIVERGED = "diverged"

    @property
    def running(self) -> bool:
        """Whether a run is under way (training or paused)."""
        return self in (RunState.TRAINING, RunState.PAUSED)

    @property
    def trained(self) -> bool:
        """Whether the network has been trained (a run ended, or one is under way)."""
        return self is not RunState.IDLE

    def can_become(self, other: RunState) -> bool:
        """Whether the state may change from this one to ``other``."""
        return other in _NEXT[self]

    def to(self, other: RunState) -> RunState:
        """``other``, if this state may become it; raises RunStateError otherwise."""
        if not self.can_become(other):
            raise RunStateError(f"a {self.value} run cannot become {other.value}")
        return other

    @classmethod
    def from_outcome(cls, outcome: str) -> RunState:
        """The state a run leaves with this ``core.training`` outcome."""
        try:
            return _OUTCOMES[outcome]
        except KeyError:
            raise RunStateError(f"unknown run outcome {outcome!r}") from None


_ENDED = {RunState.FINISHED, RunState.STOPPED, RunState.DIVERGED}
_NEXT: dict[RunState, set[RunState]] = {
    RunState.IDLE: {RunState.TRAINING},
    RunState.TRAINING: {RunState.PAUSED, *_ENDED},
    RunState.PAUSED: {RunState.TRAINING, *_ENDED},
    **{ended: {RunState.TRAINING, RunState.IDLE} for ended in _ENDED},
}
_OUTCOMES = {
    "completed": RunState.FINISHED,
    "early_stopped": RunState.FINISHED,
    "time_limit": RunState.FINISHED,
    "diverged": RunState.DIVERGED,
    "interrupted": RunState.STOPPED,
}
