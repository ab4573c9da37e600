"""The job queue at the service layer: enqueue with the change, exclusive leased claims, settling only
under the claim's token, backoff, giving up, periodic jobs, and the worker running handlers."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from premises.config import Settings
from premises.job import service
from premises.job.worker import HANDLERS, JobRun, Worker, handler
from premises.models import Job
from tests.domain.conftest import DomainAccount

LEASE_MS = 60_000


def _enqueue(account: DomainAccount, kind: str = "test.noop", **kwargs: object) -> str:
    return account.write(lambda s: service.enqueue(s, kind, {"n": 1}, account_id=account.account_id, **kwargs).id)  # type: ignore[arg-type]


def _job(account: DomainAccount, job_id: str) -> Job | None:
    with account.db.unit_of_work() as session:
        return session.get(Job, job_id)


def _claim(account: DomainAccount, limit: int = 10) -> list[service.ClaimedJob]:
    return service.claim(account.db, "test", limit=limit, lease_ms=LEASE_MS, account_id=account.account_id)


def _expire(account: DomainAccount, job_id: str) -> None:
    account.write(lambda s: s.execute(update(Job).where(Job.id == job_id).values(lease_expires_at=0)))


def test_a_job_exists_only_if_its_transaction_commits(account: DomainAccount) -> None:
    def rolled_back(session: Session) -> None:
        service.enqueue(session, "test.noop", {}, account_id=account.account_id)
        raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        account.write(rolled_back)
    assert _claim(account) == []
    job_id = _enqueue(account)
    assert [j.id for j in _claim(account)] == [job_id]


def test_a_claim_is_exclusive_until_its_lease_expires(account: DomainAccount) -> None:
    job_id = _enqueue(account)
    (first,) = _claim(account)
    assert (first.attempts, first.payload, first.kind) == (1, {"n": 1}, "test.noop")
    assert _claim(account) == []  # leased
    _expire(account, job_id)  # the worker died
    (second,) = _claim(account)
    assert second.attempts == 2 and second.token != first.token
    # The first claim's late outcome changes nothing; the second's settles the job.
    assert account.write(lambda s: service.finish(s, first)) is False
    assert account.write(lambda s: service.fail(s, first, "late")) is False
    assert _job(account, job_id) is not None
    assert account.write(lambda s: service.finish(s, second)) is True
    assert _job(account, job_id) is None


def test_a_delayed_job_waits(account: DomainAccount) -> None:
    _enqueue(account, delay_ms=60_000)
    assert _claim(account) == []


def test_failures_back_off_then_give_up(account: DomainAccount) -> None:
    job_id = _enqueue(account, max_attempts=2)
    (claimed,) = _claim(account)
    before = int(time.time() * 1000)
    assert account.write(lambda s: service.fail(s, claimed, "boom"))
    job = _job(account, job_id)
    assert job is not None and job.status == "queued" and job.last_error == "boom"
    assert job.run_at >= before + 500  # backoff: at least half of 1 s
    account.write(lambda s: s.execute(update(Job).where(Job.id == job_id).values(run_at=0)))
    (again,) = _claim(account)
    assert account.write(lambda s: service.fail(s, again, "boom again"))
    job = _job(account, job_id)
    assert job is not None and job.status == "failed" and job.last_error == "boom again"
    assert _claim(account) == []


def test_retry_later_is_the_handlers_own_delay(account: DomainAccount) -> None:
    job_id = _enqueue(account)
    (claimed,) = _claim(account)
    before = int(time.time() * 1000)
    assert account.write(lambda s: service.retry_later(s, claimed, 30_000, "429"))
    job = _job(account, job_id)
    assert job is not None and job.status == "queued" and job.run_at >= before + 30_000


def test_backoff_grows_and_is_capped() -> None:
    assert 500 <= service.backoff_ms(1) <= 1000
    assert 4000 <= service.backoff_ms(4) <= 8000
    assert service.backoff_ms(40) <= 3_600_000


RAN: list[str] = []


@handler("test.record")
def _record(run: JobRun) -> None:
    RAN.append(str(run.job.payload["n"]))


@handler("test.explode")
def _explode(run: JobRun) -> None:
    raise ValueError("handler failed")


def test_the_worker_runs_handlers_and_retries_what_raises(account: DomainAccount, settings: Settings) -> None:
    RAN.clear()
    ok = _enqueue(account, "test.record")
    bad = _enqueue(account, "test.explode")
    unknown = _enqueue(account, "test.nobody", max_attempts=1)
    worker = Worker(account.db, settings, HANDLERS, account_id=account.account_id)
    assert worker.step() == 3
    assert RAN == ["1"]
    assert _job(account, ok) is None
    failed = _job(account, bad)
    assert failed is not None and failed.status == "queued" and failed.last_error == "ValueError: handler failed"
    nobody = _job(account, unknown)
    assert nobody is not None and nobody.status == "failed" and "no handler" in (nobody.last_error or "")
    worker.close()


def test_a_periodic_job_exists_once(settings: Settings, account: DomainAccount) -> None:
    kind = "test.periodic"
    try:
        account.write(lambda s: service.ensure_periodic(s, kind, delay_ms=3_600_000))
        assert account.write(lambda s: service.ensure_periodic(s, kind)) is False
        with account.db.unit_of_work() as session:
            ids = session.scalars(select(Job.id).where(Job.kind == kind)).all()
        assert ids == [f"periodic:{kind}"]
    finally:
        account.write(lambda s: s.execute(Job.__table__.delete().where(Job.kind == kind)))


def test_finishing_a_periodic_job_queues_it_again(account: DomainAccount) -> None:
    job_id = _enqueue(account)
    (claimed,) = _claim(account)
    before = int(time.time() * 1000)
    assert account.write(lambda s: service.finish(s, claimed, again_in_ms=60_000))
    job = _job(account, job_id)
    assert job is not None and (job.status, job.attempts) == ("queued", 0) and job.run_at >= before + 60_000
