"""The durable job table (docs/jobs.md, docs/adr/0010-job-table.md).

A job is written in the transaction of the change that needs it (an outbox row), claimed by a worker
with a lease, and deleted when its handler succeeds. The table is global (``models.base.GLOBAL_TABLES``):
workers claim before they know an account; ``account_id`` says whose work a job is (none for system
jobs), and every statement a handler runs is filtered by it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models.base import Base, IdColumn


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True)  # kit.ids.new_sortable_id, or a periodic job's name
    account_id: Mapped[str | None] = mapped_column(IdColumn(), ForeignKey("accounts.id"))
    kind: Mapped[str] = mapped_column(String(64))  # the handler's name (premises.job.registry)
    payload: Mapped[str] = mapped_column(Text)  # JSON
    status: Mapped[str] = mapped_column(String(16))  # queued | running | failed (done jobs are deleted)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # claims so far
    max_attempts: Mapped[int] = mapped_column(Integer)
    run_at: Mapped[int] = mapped_column(BigInteger)  # not before (epoch ms)
    lease_owner: Mapped[str | None] = mapped_column(String(64))  # the claim's token while running
    lease_expires_at: Mapped[int | None] = mapped_column(BigInteger)  # after it, another worker may claim
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        Index("ix_jobs_status_run_at", "status", "run_at"),
        Index("ix_jobs_status_lease_expires_at", "status", "lease_expires_at"),
    )
