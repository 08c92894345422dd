"""Draw nngui's application icon: a small 2-4-4-3 network on a rounded square.

Run ``python resources/make_icon.py`` to write resources/icon.png and its packaged copy
nngui/resources/icon.png (256 × 256 pixels).
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen

SIZE = 256
LAYERS = (2, 4, 4, 3)
HERE = Path(__file__).resolve().parent
OUT = HERE / "icon.png"
PACKAGED = HERE.parent / "nngui" / "resources" / "icon.png"


def node_positions() -> list[list[QPointF]]:
    """Centres of the units, one list per layer, spread over the icon."""
    margin, cols = 52.0, len(LAYERS)
    layers = []
    for i, n in enumerate(LAYERS):
        x = margin + i * (SIZE - 2 * margin) / (cols - 1)
        gap = 46.0
        top = SIZE / 2 - gap * (n - 1) / 2
        layers.append([QPointF(x, top + j * gap) for j in range(n)])
    return layers


def draw() -> QImage:
    """The icon as a transparent ARGB image."""
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1d3557"))
    p.drawRoundedRect(QRectF(8, 8, SIZE - 16, SIZE - 16), 44, 44)
    layers = node_positions()
    p.setPen(QPen(QColor(168, 218, 220, 150), 3.2))
    for left, right in itertools.pairwise(layers):
        for a in left:
            for b in right:
                p.drawLine(a, b)
    colours = ("#a8dadc", "#f1faee", "#f1faee", "#e63946")
    for layer, colour in zip(layers, colours, strict=True):
        p.setPen(QPen(QColor("#0b1d33"), 4))
        p.setBrush(QColor(colour))
        for c in layer:
            p.drawEllipse(c, 15, 15)
    p.end()
    return image


def main() -> int:
    """Write the icon and its packaged copy."""
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if not draw().save(str(OUT), "PNG"):
        print(f"could not write {OUT}", file=sys.stderr)
        return 1
    PACKAGED.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OUT, PACKAGED)
    print(f"wrote {OUT} and {PACKAGED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
