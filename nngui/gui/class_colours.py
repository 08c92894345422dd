"""The colour of each class, the same in every view: Playground's orange and blue for its
classes -1 and 1, else a ten-colour palette (matplotlib's tab10, which stays apart for the
common colour-vision deficiencies in its first colours)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtGui import QColor

from nngui.core.playground_source import PLAYGROUND_CLASSES

#: Playground's colours (its class -1 orange, 1 blue), and a palette for other classes.
PLAYGROUND_COLOURS = ("#f59322", "#0877bd")
PALETTE = (
    "#0877bd", "#f59322", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip


def class_colours(classes: Sequence[str]) -> np.ndarray:
    """(K, 3) RGB colours (0–255) of ``classes``: Playground's for its two, else a palette."""
    hexes = PLAYGROUND_COLOURS if tuple(classes) == PLAYGROUND_CLASSES else PALETTE
    picked = [hexes[i % len(hexes)] for i in range(len(classes))]
    return np.array([[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in picked], dtype=float)


def class_qcolours(classes: Sequence[str]) -> list[QColor]:
    """The colours of ``classes`` as QColors."""
    return [QColor(int(r), int(g), int(b)) for r, g, b in class_colours(classes)]
