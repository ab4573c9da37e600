"""The database limiter (identity.throttle) and the login's use of it (identity.service.reserve_login),
at the service layer with an injected clock. Over HTTP: tests/api/upkeep/test_login_throttling.py; across
processes: tests/concurrency/test_login_throttling.py."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from premises.errors import ErrorCode, RateLimited
from premises.event.types import EventType
from premises.identity import service as identity
from premises.identity import throttle
from premises.identity.permissions import Role
from premises.kit import jsonutil
from premises.kit.ids import new_id
from premises.models import Event, ThrottleCounter
from tests.domain.conftest import DomainAccount
from tests.domain.identity.helpers import new_user

T0 = 1_800_000_000_000  # an instant in epoch ms; every test passes its own clock


def _limit(attempts: int = 3, window_s: int = 60) -> throttle.Limit:
    return throttle.Limit(f"test:{new_id()}", attempts, window_s)


def _row(account: DomainAccount, key: str) -> ThrottleCounter | None:
    with account.db.unit_of_work() as session:
        row = session.get(ThrottleCounter, key)
        if row is not None:
            session.expunge(row)
        return row


def test_attempts_are_counted_up_to_the_limit_then_refused_with_the_time_left(account: DomainAccount) -> None:
    limit = _limit(attempts=3, window_s=60)
    counted = [account.write(lambda s, n=n: throttle.hit(s, limit, "v", now=T0 + n * 1000)) for n in range(5)]
    assert [h.count for h in counted] == [1, 2, 3, 4, 5]
    assert [h.allowed for h in counted] == [True, True, True, False, False]
    assert [h.first_refused for h in counted] == [False, False, False, True, False]
    assert counted[3].retry_after == 57  # the window started at T0 and ends at T0 + 60 s
    assert counted[4].retry_after == 56
    assert {h.window_start for h in counted} == {T0}


def test_a_window_that_ended_starts_again_at_one(account: DomainAccount) -> None:
    limit = _limit(attempts=1, window_s=60)
    for n in range(3):
        account.write(lambda s, n=n: throttle.hit(s, limit, "v", now=T0 + n))
    assert not account.write(lambda s: throttle.hit(s, limit, "v", now=T0 + 59_999)).allowed
    after = account.write(lambda s: throttle.hit(s, limit, "v", now=T0 + 60_000))
    assert (after.count, after.allowed, after.window_start) == (1, True, T0 + 60_000)


def test_keys_are_hashed_and_separate_per_scope_and_value(account: DomainAccount) -> None:
    first, second = _limit(), _limit()
    account.write(lambda s: throttle.hit(s, first, "pat@example.test", now=T0))
    assert account.write(lambda s: throttle.hit(s, second, "pat@example.test", now=T0)).count == 1
    assert account.write(lambda s: throttle.hit(s, first, "sam@example.test", now=T0)).count == 1
    row = _row(account, first.key("pat@example.test"))
    assert row is not None and len(row.key_hash) == 64 and "pat" not in row.key_hash


def test_release_gives_one_attempt_back_within_its_window_only(account: DomainAccount) -> None:
    limit = _limit(attempts=5, window_s=60)
    account.write(lambda s: throttle.hit(s, limit, "v", now=T0))
    second = account.write(lambda s: throttle.hit(s, limit, "v", now=T0 + 1))
    account.write(lambda s: throttle.release(s, second))
    assert account.write(lambda s: throttle.hit(s, limit, "v", now=T0 + 2)).count == 2
    stale = account.write(lambda s: throttle.hit(s, limit, "v", now=T0 + 60_000))  # a new window: count 1
    account.write(lambda s: throttle.release(s, second))  # of the old window: nothing to give back
    assert account.write(lambda s: throttle.hit(s, limit, "v", now=T0 + 60_001)).count == stale.count + 1


def test_forget_clears_the_key(account: DomainAccount) -> None:
    limit = _limit()
    counted = account.write(lambda s: throttle.hit(s, limit, "v", now=T0))
    account.write(lambda s: throttle.forget(s, counted))
    assert _row(account, counted.key) is None


def test_ended_windows_are_pruned_when_a_key_starts_a_window(account: DomainAccount) -> None:
    old, fresh = _limit(window_s=1), _limit(window_s=60)
    ended = account.write(lambda s: throttle.hit(s, old, "v", now=T0))
    account.write(lambda s: throttle.hit(s, fresh, "v", now=T0 + 500))  # starts a window; `ended` still runs
    assert _row(account, ended.key) is not None
    account.write(lambda s: throttle.hit(s, fresh, "w", now=T0 + 1000))  # another new window, after it ended
    assert _row(account, ended.key) is None
    assert _row(account, fresh.key("v")) is not None


def test_the_table_does_not_grow_with_ended_windows(account: DomainAccount) -> None:
    limit = _limit(window_s=1)
    for n in range(30):
        account.write(lambda s, n=n: throttle.hit(s, limit, f"v{n}", now=T0 + n * 1000))
    with account.db.unit_of_work() as session:
        keys = [limit.key(f"v{n}") for n in range(30)]
        left = session.scalar(select(func.count()).where(ThrottleCounter.key_hash.in_(keys)))
    assert left == 1  # only the last window still runs


# The login's use


def _events(account: DomainAccount, user_id: str, type_: EventType) -> list[dict[str, object]]:
    with account.db.unit_of_work() as session:
        rows = session.scalars(
            select(Event.payload)
            .where(Event.account_id == account.account_id, Event.resource_id == user_id, Event.type == type_.value)
            .order_by(Event.id)
        )
        return [jsonutil.loads(p) for p in rows]


def test_a_login_over_the_email_limit_is_refused_and_recorded_once(account: DomainAccount) -> None:
    user_id, email = new_user(account, Role.TECH)
    limits = identity.LoginLimits(per_email=2, per_address=100, window_s=60)
    address = f"10.0.0.{new_id()}"
    gates = [
        account.write(lambda s, n=n: identity.reserve_login(s, email.upper(), address, limits, now=T0 + n))
        for n in range(4)
    ]
    assert [g.allowed for g in gates] == [True, True, False, False]
    assert gates[2].retry_after == 60
    throttled = _events(account, user_id, EventType.LOGIN_THROTTLED)
    assert throttled == [{"email": email, "address": address, "limited_by": ["email"], "retry_after": 60}]


def test_a_login_over_the_address_limit_is_refused_whatever_the_email(account: DomainAccount) -> None:
    limits = identity.LoginLimits(per_email=100, per_address=2, window_s=60)
    address = f"10.0.1.{new_id()}"
    gates = [
        account.write(lambda s, n=n: identity.reserve_login(s, f"n{n}-{new_id()}@x.test", address, limits, now=T0))
        for n in range(3)
    ]
    assert [g.allowed for g in gates] == [True, True, False]
    without_address = account.write(lambda s: identity.reserve_login(s, "a@x.test", None, limits, now=T0))
    assert len(without_address.hits) == 1


def test_failures_are_recorded_for_known_emails_only(account: DomainAccount) -> None:
    user_id, email = new_user(account, Role.TECH)
    limits = identity.LoginLimits()
    gate = account.write(lambda s: identity.reserve_login(s, email, "10.0.2.1", limits))
    account.write(lambda s: identity.login_failed(s, gate))
    assert _events(account, user_id, EventType.LOGIN_FAILED) == [{"email": email, "address": "10.0.2.1"}]
    unknown = identity.LoginLimits(per_email=0, per_address=100, window_s=60)  # refused at once: throttled too

    def fail_unknown(session: Session) -> list[object]:
        gate = identity.reserve_login(session, f"nobody-{new_id().lower()}@example.test", "10.0.2.1", unknown)
        assert not gate.allowed
        identity.login_failed(session, gate)
        return [o for o in session.new if isinstance(o, Event)]

    assert account.write(fail_unknown) == []  # no account to hold an event


def test_a_successful_login_forgets_the_emails_failures_and_returns_its_address_slot(account: DomainAccount) -> None:
    _, email = new_user(account, Role.TECH)
    limits = identity.LoginLimits(per_email=2, per_address=2, window_s=60)
    address = f"10.0.3.{new_id()}"
    failed = account.write(lambda s: identity.reserve_login(s, email, address, limits))
    assert failed.allowed
    gate = account.write(lambda s: identity.reserve_login(s, email, address, limits))
    with account.db.unit_of_work() as session:
        login = identity.find_login(session, email)
        assert login is not None
        verified = identity.CheckedLogin(email, login.account_id, login.user_id, login.password_hash, None)
    account.write(lambda s: identity.open_session(s, verified, ttl_hours=1, gate=gate))
    assert _row(account, limits.email.key(email)) is None
    address_row = _row(account, limits.address.key(address))
    assert address_row is not None and address_row.attempts == 1  # the failure stays, the success is given back


def test_the_throttled_code_carries_the_seconds() -> None:
    error = RateLimited(ErrorCode.LOGIN_THROTTLED, retry_after=42)
    assert error.message == "too many failed logins: try again in 42 seconds"
