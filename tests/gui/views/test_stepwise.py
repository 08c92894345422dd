"""StepwiseJob: a step per event-loop turn, the newest job wins, flush finishes at once."""

from __future__ import annotations

from nngui.gui.views.stepwise import StepwiseJob


def counting(log: list[str], name: str, steps: int):
    for i in range(steps):
        log.append(f"{name}{i}")
        if i < steps - 1:
            yield


def test_one_step_per_turn_until_done(qtbot):
    job, log = StepwiseJob(), []
    job.start(counting(log, "a", 3))
    assert log == [] and job.pending()
    qtbot.waitUntil(lambda: not job.pending())
    assert log == ["a0", "a1", "a2"]


def test_a_new_job_drops_what_the_old_one_left(qtbot):
    job, log = StepwiseJob(), []
    job.start(counting(log, "a", 3))
    job.advance()
    job.start(counting(log, "b", 2))
    qtbot.waitUntil(lambda: not job.pending())
    assert log == ["a0", "b0", "b1"]


def test_run_now_and_flush_finish_at_once(qtbot):
    job, log = StepwiseJob(), []
    job.start(counting(log, "a", 3))
    job.flush()
    assert log == ["a0", "a1", "a2"] and not job.pending()
    job.start(counting(log, "b", 2))
    job.run_now(counting(log, "c", 2))
    qtbot.wait(20)
    assert log[3:] == ["c0", "c1"]
