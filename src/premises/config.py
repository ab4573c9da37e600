"""Runtime configuration, read from ``PREMISES_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PREMISES_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Files and the default SQLite database live here.")
    database_url: str = Field(default="", description="SQLAlchemy-style URL; empty means SQLite in data_dir.")
    host: str = "127.0.0.1"
    port: int = 8000
    session_ttl_hours: int = Field(default=24 * 7, description="Lifetime of an UpKeep session token.")
    list_default_limit: int = 100
    list_max_limit: int = 5000
    db_pool_size: int = 10
    public_url: str = Field(default="", description="Base URL clients reach this server at (file links).")
    secret_key: str = Field(default="", description="Signs file links; generated into data_dir when empty.")
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, description="Largest file POST /files accepts.")
    max_json_bytes: int = Field(
        default=1024 * 1024, description="Largest request body of any route that takes no files (JSON or form)."
    )
    # Logs (premises.api.observability / the access log)
    log_format: str = Field(default="text", description="text (human-readable) or json.")
    log_level: str = Field(default="info", description="debug, info, warning or error.")
    # Metrics: GET /metrics in the Prometheus text format; off unless enabled, a bearer token when one is set.
    metrics_enabled: bool = Field(default=False, description="Serve Prometheus metrics at /metrics.")
    metrics_token: str = Field(default="", description="When set, /metrics requires Authorization: Bearer <token>.")
    # Browsers on other origins; comma-separated origins, or * for any.
    cors_origins: str = Field(default="", description="Origins allowed to call the APIs from a browser (CORS).")
    gzip_min_bytes: int = Field(default=1024, description="Responses at least this large are gzipped when accepted.")
    # Login throttling (premises.identity.throttle): failures per window, per email and per client address.
    login_failures_per_email: int = Field(default=5, description="Failed logins per email within the window.")
    login_failures_per_address: int = Field(default=20, description="Failed logins per client address per window.")
    login_window_seconds: int = Field(default=900, description="The throttling window (seconds).")
    password_min_length: int = Field(default=10, description="Shortest password accepted when one is set.")

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
