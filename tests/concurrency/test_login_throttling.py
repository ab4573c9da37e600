"""Login throttling is exact across processes: 20 wrong logins at the same instant against a
two-process server with a limit of 5 give exactly 5 answers 401 and 15 answers 429, per email and
per client address, and one LOGIN_THROTTLED event (identity.throttle counts in one atomic statement;
each login's keys are locked in the same order, so both counts agree)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from premises.config import Settings
from premises.db.engine import Database
from premises.identity.service import LoginLimits
from premises.kit.ids import new_id
from premises.models import ThrottleCounter
from tests.support.client import PASSWORD, Tenant
from tests.support.races import Call, RaceServer, statuses
from tests.support.server import running_server

pytestmark = pytest.mark.slow

LIMIT = 5
LIMITS = LoginLimits(LIMIT, LIMIT, 600)
THROTTLING = {
    "PREMISES_LOGIN_FAILURES_PER_EMAIL": str(LIMIT),
    "PREMISES_LOGIN_FAILURES_PER_ADDRESS": str(LIMIT),
    "PREMISES_LOGIN_WINDOW_SECONDS": "600",
}


@pytest.fixture(scope="module")
def throttling(settings: Settings, db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RaceServer]:
    data_dir = tmp_path_factory.mktemp("throttle-data")
    with running_server(settings.resolved_database_url, data_dir, workers=2, env=THROTTLING) as base_url:
        yield RaceServer(base_url, db)


@pytest.fixture
def server(throttling: RaceServer) -> RaceServer:
    """The server, with the test machine's address not yet counted (every test logs in from it)."""
    with throttling.db.unit_of_work() as session:
        row = session.get(ThrottleCounter, LIMITS.address.key("127.0.0.1"))
        if row is not None:
            session.delete(row)
    return throttling


def _login(email: str, password: str = "wrong password") -> Call:
    def call(client: httpx.Client) -> httpx.Response:
        return client.post("/auth", json={"email": email, "password": password})

    return call


def test_twenty_wrong_logins_for_one_email_give_exactly_five_401(server: RaceServer, tenant: Tenant) -> None:
    tech = tenant.as_role("TECH")
    responses = server.race("", [_login(tech.email)] * 20)
    assert statuses(responses) == {401: LIMIT, 429: 20 - LIMIT}
    assert all(int(r.headers["Retry-After"]) > 0 for r in responses if r.status_code == 429)
    assert server.events(tenant.account_id, "LOGIN_FAILED", tech.user_id) == LIMIT
    assert server.events(tenant.account_id, "LOGIN_THROTTLED", tech.user_id) == 1
    right = httpx.post(f"{server.base_url}/api/v2/auth", json={"email": tech.email, "password": PASSWORD}, timeout=30)
    assert right.status_code == 429


def test_twenty_wrong_logins_for_twenty_emails_from_one_address_give_exactly_five_401(server: RaceServer) -> None:
    emails = [f"spray-{n}-{new_id().lower()}@example.test" for n in range(20)]
    responses = server.race("", [_login(email) for email in emails])
    assert statuses(responses) == {401: LIMIT, 429: 20 - LIMIT}
