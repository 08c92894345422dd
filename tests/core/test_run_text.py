"""How a run's end is worded: why it stopped and which epoch's weights it kept."""

from __future__ import annotations

import pytest

from nngui.core.run_text import kept_reason, plural, stop_reason
from nngui.core.training import TrainConfig


def test_plural():
    assert (plural(1, "epoch"), plural(1000, "epoch")) == ("1 epoch", "1,000 epochs")


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ("completed", "all 500 epochs run"),
        ("early_stopped", "early stopping (no better validation loss in 20 epochs)"),
        ("time_limit", "time limit (2.5 s)"),
        ("diverged", "diverged"),
        ("interrupted", "stopped"),
    ],
)
def test_each_outcome_has_its_reason(outcome, expected):
    config = TrainConfig(epochs=500, patience=20, time_limit=2.5)
    assert stop_reason(outcome, config, 500) == expected


def test_a_single_epoch_is_not_all_of_one():
    assert stop_reason("completed", TrainConfig(epochs=1), 1) == "1 epoch run"
    assert stop_reason("completed", TrainConfig(epochs=2), 2) == "all 2 epochs run"


def test_the_kept_epoch_is_named_only_when_it_is_not_the_last():
    assert kept_reason("completed", None, 40) == ""
    assert kept_reason("completed", 40, 40) == ""
    assert (
        kept_reason("time_limit", 7, 40)
        == "kept epoch 7 of 40, the one with the best validation loss"
    )
    assert "before the loss diverged" in kept_reason("diverged", 3, 9)
