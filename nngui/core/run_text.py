"""How a training run is told in words: why it ended and which epoch's weights it kept.

The window's progress bar and status bar use these, so that every front end words a run's end
the same way.
"""

from __future__ import annotations

from nngui.core.training import TrainConfig


def plural(n: int, word: str) -> str:
    """``n`` with ``word``, plural unless n is 1: "1 epoch", "1,000 epochs"."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def stop_reason(outcome: str, config: TrainConfig, epochs_run: int) -> str:
    """Why a run ended, in a few words for the progress bar ("time limit (10 s)" …)."""
    if outcome == "completed":
        if epochs_run == 1:
            return "1 epoch run"
        return f"all {plural(epochs_run, 'epoch')} run" if epochs_run else "nothing to train"
    if outcome == "early_stopped":
        return f"early stopping (no better validation loss in {plural(config.patience, 'epoch')})"
    if outcome == "time_limit":
        return f"time limit ({config.time_limit:g} s)"
    if outcome == "diverged":
        return "diverged"
    return "stopped"


def kept_reason(outcome: str, weights_epoch: int | None, epochs: int) -> str:
    """Which epoch's weights the network holds after a run and why ("" for the last epoch's)."""
    if weights_epoch is None or weights_epoch == epochs:
        return ""
    if outcome == "diverged":
        return f"kept epoch {weights_epoch:,}: the last weights before the loss diverged"
    return f"kept epoch {weights_epoch:,} of {epochs:,}, the one with the best validation loss"
