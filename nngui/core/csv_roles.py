"""The role of each column of a CSV table: input, target or ignored, and which it may take.

A column may be a target when it is numeric or holds number codes such as 0/1 (classification
comes with a later version), an input when it is numeric or categorical with at least two
distinct values; text, empty and
constant columns can only be ignored. ``default_roles`` proposes what an import view starts
with: the last numeric column the target, every other usable column an input; roles chosen
before are kept for the columns still there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nngui.core.csv_source import formatted_hint
from nngui.core.csv_table import Column, Table

ROLES = ("input", "target", "ignore")


@dataclass(frozen=True)
class RoleChoice:
    """The roles a column may take, and why the others are out (empty when all are open)."""

    roles: tuple[str, ...]
    reason: str = ""


def role_choice(c: Column) -> RoleChoice:
    """What column ``c`` may be."""
    if c.kind == "empty":
        return RoleChoice(("ignore",), "empty: no row holds a value")
    if c.kind == "text":
        return RoleChoice(
            ("ignore",),
            f"text with {c.distinct:,} different values (names, identifiers or free text, too "
            f"many for categories): it cannot be used{formatted_hint(c)}",
        )
    if c.distinct < 2:
        return RoleChoice(("ignore",), "every row holds the same value: it tells nothing")
    if c.kind == "categorical" and c.numbers:
        return RoleChoice(ROLES)  # number codes: one-hot as inputs, numbers as targets
    if c.kind == "categorical":
        return RoleChoice(
            ("input", "ignore"),
            "categories: an input (one-hot); as a target it needs classification, which comes "
            "with a later version",
        )
    return RoleChoice(ROLES)


def default_roles(table: Table, previous: Mapping[str, str] | None = None) -> dict[str, str]:
    """A role per column (see the module docstring); ``previous`` roles win where allowed."""
    previous = previous or {}
    choices = {c.name: role_choice(c) for c in table.columns}
    roles = {
        name: previous[name] if previous.get(name) in choice.roles else ""
        for name, choice in choices.items()
    }
    if "target" not in roles.values():
        numeric = [c.name for c in table.columns if "target" in choices[c.name].roles]
        if numeric and not roles[numeric[-1]]:
            roles[numeric[-1]] = "target"
    for name, role in roles.items():
        if not role:
            roles[name] = "input" if "input" in choices[name].roles else "ignore"
    return roles


def chosen(roles: Mapping[str, str], role: str) -> tuple[str, ...]:
    """The columns given ``role``, in the file's order."""
    return tuple(name for name, r in roles.items() if r == role)
