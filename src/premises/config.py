"""Runtime configuration, read from ``PREMISES_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("debug", "info", "warning", "error")


def _one_of(value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"must be one of {', '.join(choices)}")
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PREMISES_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Files and the default SQLite database live here.")
    database_url: str = Field(default="", description="SQLAlchemy-style URL; empty means SQLite in data_dir.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    session_ttl_hours: int = Field(default=24 * 7, ge=1, description="Lifetime of an UpKeep session token.")
    list_default_limit: int = Field(default=100, ge=1)
    list_max_limit: int = Field(default=5000, ge=1)
    db_pool_size: int = Field(default=10, ge=1, le=1000)
    db_pool_timeout: float = Field(
        default=30, gt=0, le=3600, description="Seconds a request waits for a free connection before a 503."
    )
    public_url: str = Field(default="", description="Base URL clients reach this server at (file links).")
    secret_key: str = Field(default="", description="Signs file links; generated into data_dir when empty.")
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1, description="Largest file POST /files accepts.")
    max_json_bytes: int = Field(
        default=1024 * 1024, ge=1, description="Largest request body of any route that takes no files (JSON or form)."
    )
    # Logs (premises.api.observability / the access log)
    log_format: str = Field(default="text", description="text (human-readable) or json.")
    log_level: str = Field(default="info", description="debug, info, warning or error.")
    # Metrics: GET /metrics in the Prometheus text format; off unless enabled, a bearer token when one is set.
    metrics_enabled: bool = Field(default=False, description="Serve Prometheus metrics at /metrics.")
    metrics_token: str = Field(default="", description="When set, /metrics requires Authorization: Bearer <token>.")
    # Browsers on other origins; comma-separated origins, or * for any.
    cors_origins: str = Field(default="", description="Origins allowed to call the APIs from a browser (CORS).")
    gzip_min_bytes: int = Field(
        default=1024, ge=0, description="Responses at least this large are gzipped when accepted."
    )
    # Login throttling (premises.identity.throttle): failures per window, per email and per client address.
    login_failures_per_email: int = Field(default=5, ge=1, description="Failed logins per email within the window.")
    login_failures_per_address: int = Field(
        default=20, ge=1, description="Failed logins per client address per window."
    )
    login_window_seconds: int = Field(default=900, ge=1, description="The throttling window (seconds).")
    password_min_length: int = Field(
        default=10, ge=1, le=1024, description="Shortest password accepted when one is set."
    )

    # Jobs (premises.job, docs/jobs.md) and webhooks (premises.webhook, docs/webhooks.md).
    worker_embedded: bool = Field(default=True, description="Run the job worker inside premises serve.")
    worker_concurrency: int = Field(default=4, ge=1, le=64, description="Jobs a worker process runs at once.")
    worker_claim_per_thread: int = Field(
        default=16, ge=1, le=256, description="Jobs a worker claims at a time, per thread (batched kinds share them)."
    )
    worker_poll_seconds: float = Field(
        default=0.25, gt=0, le=60, description="How often an idle worker looks for due jobs (seconds)."
    )
    job_lease_seconds: int = Field(
        default=60, ge=1, description="A claimed job is another worker's to run if not done within this (seconds)."
    )
    webhook_allow_private: bool = Field(
        default=False, description="Allow webhook endpoints on loopback, private and link-local addresses."
    )
    webhook_timeout_seconds: float = Field(default=15, gt=0, le=300, description="Wait this long for a receiver.")
    webhook_slow_seconds: float = Field(
        default=2,
        gt=0,
        le=300,
        description="An attempt slower than this (or timed out, or not connected) puts off the rest of its"
        " endpoint's deliveries in the worker's batch (seconds).",
    )
    webhook_retry_schedule: str = Field(
        default="5,300,1800,7200,18000,36000,50400,72000,86400",
        description="Seconds before each retry of a failed delivery, comma-separated (jitter is added).",
    )
    webhook_disable_after_hours: float = Field(
        default=120, gt=0, description="Disable an endpoint whose deliveries failed for this long."
    )
    webhook_delivery_retention_days: float = Field(
        default=30, gt=0, description="Delete finished webhook deliveries (and their attempts) older than this."
    )

    @field_validator("webhook_retry_schedule")
    @classmethod
    def _retry_schedule(cls, value: str) -> str:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not parts or not all(p.isascii() and p.isdigit() for p in parts):
            raise ValueError("must be comma-separated whole seconds, at least one")
        return ",".join(parts)

    @property
    def webhook_retry_delays(self) -> tuple[int, ...]:
        """``webhook_retry_schedule`` in seconds."""
        return tuple(int(p) for p in self.webhook_retry_schedule.split(","))

    @field_validator("log_format", "log_level", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        return _one_of(value, LOG_FORMATS)

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        return _one_of(value, LOG_LEVELS)

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _lease_covers_a_delivery(self) -> Settings:
        if self.job_lease_seconds < 2 * self.webhook_timeout_seconds:
            raise ValueError(
                f"PREMISES_JOB_LEASE_SECONDS ({self.job_lease_seconds}) must be at least twice"
                f" PREMISES_WEBHOOK_TIMEOUT_SECONDS ({self.webhook_timeout_seconds})"
            )
        return self

    @model_validator(mode="after")
    def _default_within_max(self) -> Settings:
        if self.list_default_limit > self.list_max_limit:
            raise ValueError(
                f"PREMISES_LIST_DEFAULT_LIMIT ({self.list_default_limit}) exceeds PREMISES_LIST_MAX_LIMIT"
                f" ({self.list_max_limit})"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'premises.sqlite3').resolve()}"

    @property
    def resolved_public_url(self) -> str:
        """``public_url`` without a trailing slash, or this server's own address."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "localhost" if self.host in ("", "0.0.0.0", "::") else self.host
        if ":" in host:  # an IPv6 literal
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
