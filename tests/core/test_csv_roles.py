"""The roles a CSV column may take, and the roles an import view starts with."""

from __future__ import annotations

from nngui.core.csv_roles import chosen, default_roles, role_choice
from nngui.core.csv_table import read_table


def test_defaults_make_the_last_number_the_target_and_usable_columns_inputs(tmp_path):
    path = tmp_path / "d.csv"
    rows = "".join(f"{i},{'ab'[i % 2]},t{i},1,{i * 3},x{i}\n" for i in range(30))
    path.write_text("a,kind,name,one,y,id\n" + rows)
    table = read_table(path)
    roles = default_roles(table)
    assert roles == {
        "a": "input", "kind": "input", "name": "ignore", "one": "ignore", "y": "target",
        "id": "ignore",
    }  # fmt: skip
    assert role_choice(table.column("kind")).roles == ("input", "target", "ignore")  # a label
    assert "same value" in role_choice(table.column("one")).reason
    assert chosen(roles, "input") == ("a", "kind")
    kept = default_roles(table, {"a": "target", "y": "input", "name": "target"})
    assert kept["a"] == "target" and kept["y"] == "input", "earlier choices stay"
    assert kept["name"] == "ignore", "a role a column cannot take is not kept"
