from __future__ import annotations

from pathlib import Path

from premises.identity.permissions import PERMISSIONS, SCOPE_RULE, Role, markdown_table

DOC = Path(__file__).resolve().parents[1] / "docs" / "permissions.md"


def test_doc_embeds_the_table_from_code() -> None:
    assert markdown_table() in DOC.read_text()


def test_admin_may_do_everything() -> None:
    assert all(Role.ADMIN in grants for grants in PERMISSIONS.values())


def test_doc_states_the_scope_rule_from_code() -> None:
    assert SCOPE_RULE in DOC.read_text()
