"""TensorFlow Playground's generated 2-D data sets, drawn with its recipes (its src/dataset.ts).

Classification sets label their points ``-1`` or ``1``, as Playground does:

- **circle**: half the points at a radius U(0, 2.5) from the origin, half at U(3.5, 5), each at
  an angle U(0, 2π); a point's label is 1 when its *noisy* position (each coordinate moved by
  U(−5, 5)·noise) lies within 2.5 of the origin, else −1.
- **xor**: x1, x2 uniform in (−5, 5), each pushed 0.3 away from its axis; the label is the sign
  of the product of the noisy coordinates (moved by U(−5, 5)·noise), 1 for ≥ 0.
- **gauss**: half the points around (2, 2) labelled 1, half around (−2, −2) labelled −1, of
  variance 0.5 + 7·noise (Playground's scale from noise 0 → 0.5 to variance 0.5 → 4).
- **spiral**: two arms, point i of k: r = 5i/k, t = 1.75·2π·i/k + δ with δ = 0 (label 1) or
  π (label −1); x1 = r·sin t, x2 = r·cos t, each moved by U(−1, 1)·noise.

Regression sets give a number per point:

- **plane**: x1, x2 uniform in (−6, 6); the value is (x1 + x2) / 10 at the noisy position (each
  coordinate moved by U(−6, 6)·noise).
- **multi-gauss**: x1, x2 uniform in (−6, 6); six bumps at (±4 or 0, ±2.5) of alternating sign;
  the value is the bump of largest size at the noisy position, each bump
  sign·max(0, 1 − distance / 2).

``noise`` is a share from 0 to 0.5 (Playground's 0 to 50 %). n points are drawn: for the
two-class sets ⌈n/2⌉ of the first class then ⌊n/2⌋ of the second (Playground draws ⌈n/2⌉ of
each, one more than asked for an odd n). Draws come from a NumPy RandomState, so a seed gives
the same points every time (Playground's Math.random gives other points of the same recipe).
"""

from __future__ import annotations

import math

import numpy as np

CLASSIFICATION_SETS = ("circle", "xor", "gauss", "spiral")
REGRESSION_SETS = ("plane", "multi-gauss")
PLAYGROUND_SETS = CLASSIFICATION_SETS + REGRESSION_SETS
MAX_NOISE = 0.5
CIRCLE_RADIUS = 5.0
XOR_PADDING = 0.3
#: The six bumps of multi-gauss: centre x1, centre x2, sign.
BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def _uniform(rng: np.random.RandomState, low: float, high: float, n: int) -> np.ndarray:
    out: np.ndarray = rng.uniform(low, high, n)
    return out


def _halves(n: int) -> tuple[int, int]:
    """The points of the first and the second class: ⌈n/2⌉ and ⌊n/2⌋."""
    return -(-n // 2), n // 2


def circle(n: int, noise: float, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """Points inside and around a circle (see the module docstring)."""
    inner, outer = _halves(n)
    r = np.concatenate([
        _uniform(rng, 0.0, CIRCLE_RADIUS * 0.5, inner),
        _uniform(rng, CIRCLE_RADIUS * 0.7, CIRCLE_RADIUS, outer),
    ])  # fmt: skip
    angle = _uniform(rng, 0.0, 2 * math.pi, n)
    x = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    moved = x + _uniform(rng, -CIRCLE_RADIUS, CIRCLE_RADIUS, 2 * n).reshape(n, 2) * noise
    label = np.where(np.hypot(moved[:, 0], moved[:, 1]) < CIRCLE_RADIUS * 0.5, 1.0, -1.0)
    return x, label


def xor(n: int, noise: float, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """Four quadrants labelled by the sign of x1·x2 (see the module docstring)."""
    x = _uniform(rng, -5.0, 5.0, 2 * n).reshape(n, 2)
    x += np.where(x > 0, XOR_PADDING, -XOR_PADDING)
    moved = x + _uniform(rng, -5.0, 5.0, 2 * n).reshape(n, 2) * noise
    label = np.where(moved[:, 0] * moved[:, 1] >= 0, 1.0, -1.0)
    return x, label


def gauss(n: int, noise: float, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds (see the module docstring)."""
    first, second = _halves(n)
    sd = math.sqrt(0.5 + 7.0 * noise)
    x = np.concatenate([rng.normal(2.0, sd, (first, 2)), rng.normal(-2.0, sd, (second, 2))])
    label = np.concatenate([np.ones(first), -np.ones(second)])
    return x, label


def spiral(n: int, noise: float, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms (see the module docstring)."""
    parts, labels = [], []
    for count, delta, label in zip(_halves(n), (0.0, math.pi), (1.0, -1.0), strict=True):
        i = np.arange(count)
        r = i / max(count, 1) * 5.0
        t = 1.75 * i / max(count, 1) * 2 * math.pi + delta
        arm = np.column_stack([r * np.sin(t), r * np.cos(t)])
        parts.append(arm + _uniform(rng, -1.0, 1.0, 2 * count).reshape(count, 2) * noise)
        labels.append(np.full(count, label))
    return np.concatenate(parts), np.concatenate(labels)


def plane(n: int, noise: float, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """A tilted plane to regress (see the module docstring)."""
    x = _uniform(rng, -6.0, 6.0, 2 * n).reshape(n, 2)
    moved = x + _uniform(rng, -6.0, 6.0, 2 * n).reshape(n, 2) * noise
    return x, (moved[:, 0] + moved[:, 1]) / 10.0


def multi_gauss(n: int, noise: float, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    """Six bumps of alternating sign to regress (see the module docstring)."""
    x = _uniform(rng, -6.0, 6.0, 2 * n).reshape(n, 2)
    moved = x + _uniform(rng, -6.0, 6.0, 2 * n).reshape(n, 2) * noise
    value = np.zeros(n)
    for cx, cy, sign in BUMPS:
        bump = sign * np.clip(1.0 - np.hypot(moved[:, 0] - cx, moved[:, 1] - cy) / 2.0, 0, 1)
        value = np.where(np.abs(bump) > np.abs(value), bump, value)
    return x, value


GENERATORS = {
    "circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral, "plane": plane,
    "multi-gauss": multi_gauss,
}  # fmt: skip


def playground_points(name: str, n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points of the set ``name`` with ``noise`` (0 to 0.5), drawn from
    ``RandomState(seed)``: inputs (n, 2) as x1, x2 and a label (or value) per point."""
    if name not in GENERATORS:
        raise ValueError(f"no data set called {name!r}; there are {', '.join(GENERATORS)}")
    if not (isinstance(n, int) and n >= 2):
        raise ValueError(f"a data set needs at least 2 points, got {n!r}")
    if not (math.isfinite(noise) and 0.0 <= noise <= MAX_NOISE):
        raise ValueError(f"noise must be from 0 to {MAX_NOISE:g} (0 to 50 %), got {noise!r}")
    return GENERATORS[name](n, float(noise), np.random.RandomState(seed))
