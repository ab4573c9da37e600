"""The tenant guard itself: it must reject what Citus could not route, and pass what it can."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from premises.db.engine import Database
from tests.support.tenant_guard import TenantFilterMissing, check_statement


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT t.id FROM work_orders t WHERE t.account_id = :account_id AND t.status = :p1",
        "SELECT users.id FROM users WHERE users.account_id = ? AND users.id = ?",
        "INSERT INTO work_orders (account_id, id, title) VALUES (%(account_id)s, %(id)s, %(title)s)",
        "UPDATE account_counters SET value = value + 1 WHERE account_id = :account_id AND name = :name RETURNING value",
        "SELECT t.id, u.email FROM work_orders t LEFT JOIN users u ON u.account_id = t.account_id AND u.id = "
        "t.assigned_to_user_id WHERE t.account_id = $1",
        "SELECT account_id, user_id FROM auth_sessions WHERE token_hash = :h",  # a global table
    ],
)
def test_accepts_routable_statements(sql: str) -> None:
    check_statement(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT t.id FROM work_orders t WHERE t.status = 'open'",
        "SELECT id FROM users WHERE email = :email",
        "INSERT INTO work_orders (id, title) VALUES (:id, :title)",
        "UPDATE assets SET name = :name WHERE id = :id",
        "DELETE FROM team_members WHERE team_id = :team",
        "SELECT t.id FROM work_orders t JOIN users u ON u.id = t.assigned_to_user_id WHERE t.account_id = :a",
    ],
)
def test_rejects_statements_without_account_filter(sql: str) -> None:
    with pytest.raises(TenantFilterMissing):
        check_statement(sql)


def test_is_active_on_the_write_path(db: Database, tenant_guard: None) -> None:
    with pytest.raises(TenantFilterMissing), db.unit_of_work() as session:
        session.execute(text("SELECT id FROM work_orders WHERE status = 'open'"))
