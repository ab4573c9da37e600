"""The job queue at the service layer: enqueue with the change, exclusive leased claims, settling only
under the claim's token, backoff, giving up, periodic jobs, and the worker running handlers."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from premises.config import Settings
from premises.job import service
from premises.job.worker import HANDLERS, JobRun, Worker, done_all, handler, settle_together
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


BATCHES: list[list[str]] = []
SINGLES: list[str] = []


def _record_batch(runs: Sequence[JobRun]) -> None:
    BATCHES.append([str(run.job.payload["n"]) for run in runs])
    if any(run.job.payload["n"] == "poison" for run in runs):
        raise ValueError("one job of the batch is bad")
    settle_together(runs[0].db, lambda session: done_all(session, runs), runs)


@handler("test.batch", batch=_record_batch)
def _record_single(run: JobRun) -> None:
    if run.job.payload["n"] == "poison":
        raise ValueError("bad job")
    SINGLES.append(str(run.job.payload["n"]))


def _enqueue_n(account: DomainAccount, kind: str, n: object) -> str:
    return account.write(lambda s: service.enqueue(s, kind, {"n": n}, account_id=account.account_id).id)


def test_a_batch_kind_runs_a_share_of_jobs_per_thread_in_one_call(account: DomainAccount, settings: Settings) -> None:
    BATCHES.clear()
    SINGLES.clear()
    ids = [_enqueue_n(account, "test.batch", str(n)) for n in range(5)]
    worker = Worker(
        account.db, settings.model_copy(update={"worker_concurrency": 2}), HANDLERS, account_id=account.account_id
    )
    assert worker.step() == 5
    assert sorted(len(batch) for batch in BATCHES) == [2, 3]  # two threads, one call each
    assert sorted(n for batch in BATCHES for n in batch) == [str(n) for n in range(5)]
    assert SINGLES == []
    assert all(_job(account, job_id) is None for job_id in ids)  # done_all ended every job
    worker.close()


def test_when_a_batch_raises_its_jobs_run_one_by_one(account: DomainAccount, settings: Settings) -> None:
    BATCHES.clear()
    SINGLES.clear()
    good = [_enqueue_n(account, "test.batch", n) for n in ("a", "b")]
    poison = _enqueue_n(account, "test.batch", "poison")
    worker = Worker(
        account.db, settings.model_copy(update={"worker_concurrency": 1}), HANDLERS, account_id=account.account_id
    )
    assert worker.step() == 3
    assert len(BATCHES) == 1 and sorted(SINGLES) == ["a", "b"]  # the good ones still ran, once each
    assert all(_job(account, job_id) is None for job_id in good)
    bad = _job(account, poison)
    assert bad is not None and bad.status == "queued" and bad.last_error == "ValueError: bad job"
    worker.close()


def test_a_batch_past_its_deadline_hands_its_jobs_back_unrun(account: DomainAccount, settings: Settings) -> None:
    BATCHES.clear()
    job_id = _enqueue_n(account, "test.batch", "late")
    (claimed,) = _claim(account)
    worker = Worker(account.db, settings, HANDLERS, account_id=account.account_id)
    worker._run_batch(HANDLERS["test.batch"], [claimed], deadline=time.monotonic() - 1)
    assert BATCHES == []
    job = _job(account, job_id)
    assert job is not None and (job.status, job.attempts, job.lease_owner) == ("queued", 0, None)
    worker.close()


def test_settle_together_settles_runs_only_when_their_transaction_commits(
    account: DomainAccount, settings: Settings
) -> None:
    job_id = _enqueue_n(account, "test.batch", "x")
    (claimed,) = _claim(account)
    run = JobRun(claimed, account.db, settings)

    def fails(session: Session) -> None:
        done_all(session, [run])
        raise RuntimeError("the transaction fails after ending the job")

    with pytest.raises(RuntimeError):
        settle_together(account.db, fails, [run])
    assert run.settled is False and _job(account, job_id) is not None
    settle_together(account.db, lambda session: done_all(session, [run]), [run])
    assert run.settled is True and _job(account, job_id) is None
