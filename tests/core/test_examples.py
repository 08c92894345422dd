"""The example data sets shipped in nngui/resources/examples read as documented."""

from __future__ import annotations

from pathlib import Path

import nngui
from nngui.core.csv_table import read_table

EXAMPLES = Path(nngui.__file__).parent / "resources" / "examples"


def test_diabetes_is_442_numeric_rows_with_its_target():
    table = read_table(EXAMPLES / "diabetes.csv")
    assert table.rows == 442 and [c.name for c in table.columns][-1] == "progression"
    kinds = {c.name: c.kind for c in table.columns}
    assert kinds.pop("sex") == "categorical", "coded 1 and 2"
    assert set(kinds.values()) == {"numeric"} and all(c.missing == 0 for c in table.columns)


def test_iris_is_150_flowers_of_three_species():
    table = read_table(EXAMPLES / "iris.csv")
    species = table.column("species")
    assert table.rows == 150 and species.kind == "categorical" and species.distinct == 3


def test_each_example_names_its_source_and_licence():
    text = (EXAMPLES / "README.md").read_text()
    for name in ("diabetes.csv", "iris.csv"):
        assert f"## {name}" in text
    assert text.count("Source:") == 2 and "BSD 3-Clause" in text
