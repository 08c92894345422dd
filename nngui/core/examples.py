"""The example data sets shipped with nngui (nngui/resources/examples, with their sources and
licences in its README)."""

from __future__ import annotations

from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "resources" / "examples"
#: File name → what it is, as File ▸ Open Example lists them.
EXAMPLES = {
    "diabetes.csv": "Diabetes (regression, 442 rows)",
    "iris.csv": "Iris (classification, 150 rows)",
}


def example_path(name: str) -> str:
    """The path of the shipped example ``name``; raises KeyError for another name."""
    if name not in EXAMPLES:
        raise KeyError(f"no example called {name!r}; there are {', '.join(EXAMPLES)}")
    return str(EXAMPLES_DIR / name)
