"""RunState: the run's state machine and how run outcomes map onto it."""

from __future__ import annotations

import pytest

from nngui.core.training import OUTCOMES
from nngui.workbench import RunState, RunStateError

S = RunState


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        (S.IDLE, {S.TRAINING}),
        (S.TRAINING, {S.PAUSED, S.FINISHED, S.STOPPED, S.DIVERGED}),
        (S.PAUSED, {S.TRAINING, S.FINISHED, S.STOPPED, S.DIVERGED}),
        (S.FINISHED, {S.TRAINING, S.IDLE}),
        (S.STOPPED, {S.TRAINING, S.IDLE}),
        (S.DIVERGED, {S.TRAINING, S.IDLE}),
    ],
)
def test_each_state_goes_only_where_it_may(start, allowed):
    assert {other for other in S if start.can_become(other)} == allowed
    for other in set(S) - allowed:
        with pytest.raises(RunStateError, match=f"a {start.value} run cannot become"):
            start.to(other)
    for other in allowed:
        assert start.to(other) is other


def test_every_outcome_has_its_state():
    assert {o: S.from_outcome(o) for o in OUTCOMES} == {
        "completed": S.FINISHED, "early_stopped": S.FINISHED, "time_limit": S.FINISHED,
        "diverged": S.DIVERGED, "interrupted": S.STOPPED,
    }  # fmt: skip
    with pytest.raises(RunStateError, match="unknown run outcome"):
        S.from_outcome("exploded")


def test_running_and_trained():
    assert [s for s in S if s.running] == [S.TRAINING, S.PAUSED]
    assert [s for s in S if not s.trained] == [S.IDLE]
