"""Users (tenant data), the global login lookups (email -> user, token -> session), the OAuth 2.0
clients and access tokens of /v1 (client id -> client, token -> token; identity.clients,
identity.tokens) and the global throttling counters (identity.throttle).

The global tables have no foreign key into tenant tables: on Citus they stay on the coordinator
(or become reference tables), and a reference table may not point at a distributed one.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Index, Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import tenant_fk, unique_rule
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin


class User(TenantMixin, TimestampMixin, Base):
    __tablename__ = "users"
    email: Mapped[str] = mapped_column(String(320))
    account_type: Mapped[str] = mapped_column(String(20))
    first_name: Mapped[str | None] = mapped_column(String(200))
    last_name: Mapped[str | None] = mapped_column(String(200))
    phone_number: Mapped[str | None] = mapped_column(String(64))
    job_title: Mapped[str | None] = mapped_column(String(200))
    user_status: Mapped[str | None] = mapped_column(String(64))
    is_location_based: Mapped[bool] = mapped_column(Boolean, default=False)
    date_of_last_login: Mapped[int | None] = mapped_column(BigInteger)
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        Index(unique_rule("ix_users_account_email", record="user", field="email"), "account_id", "email", unique=True),
    )


class SiteMembership(Base):
    """A user's membership of a site (a place, usually top-level) with its role there.

    A location-based user sees only the places under its memberships (each includes its
    descendants) and acts there with the membership's role. On /api/v2 every membership carries
    the user's ``account_type`` ("same role on these sites"); /v1 may give a role per site
    (docs/adr/0009-identity-for-three-dialects.md). ``role`` is a ``premises.identity.permissions.Role``.
    """

    __tablename__ = "site_memberships"
    account_id: Mapped[str] = mapped_column(IdColumn())
    user_id: Mapped[str] = mapped_column(IdColumn())
    place_id: Mapped[str] = mapped_column(IdColumn())
    role: Mapped[str] = mapped_column(String(20))
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "user_id", "place_id"),
        Index("ix_site_memberships_account_place", "account_id", "place_id"),
        tenant_fk("user_id", "users"),
        tenant_fk("place_id", "places"),
    )


class Login(Base):
    """Global: an email address identifies exactly one user of one account."""

    __tablename__ = "logins"
    email: Mapped[str] = mapped_column(String(320))
    account_id: Mapped[str] = mapped_column(IdColumn())
    user_id: Mapped[str] = mapped_column(IdColumn())
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        PrimaryKeyConstraint("email", name=unique_rule("pk_logins", record="user", field="email")),
        Index("ix_logins_account_user", "account_id", "user_id", unique=True),
    )


class AuthSession(Base):
    """Global: a session token (stored as its SHA-256) of one user."""

    __tablename__ = "auth_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(IdColumn())
    user_id: Mapped[str] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    revoked_at: Mapped[int | None] = mapped_column(BigInteger)
    # Counts changes of the user's role or places: a principal cached at an older version is
    # rebuilt on the next request, in every process (identity.service.resolve_principal).
    access_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    __table_args__ = (Index("ix_auth_sessions_account_user", "account_id", "user_id"),)


class ThrottleCounter(Base):
    """Global: attempts counted for one key in a fixed window (``premises.identity.throttle``), e.g.
    failed logins per email and per client address. The key is the SHA-256 of what is counted (no
    email or address is stored); a row whose window has ended is reset by the next attempt or
    deleted when another key starts a window (``expires_at`` is indexed for that)."""

    __tablename__ = "throttle_counters"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_throttle_counters_expires_at", "expires_at"),)


class ApiClient(Base):
    """Global: an OAuth 2.0 client (client credentials, RFC 6749 §4.4) of one account, acting as the user
    ``user_id``: its service account (``kind`` "service_account": a user without a login, added to the
    sites it may reach) or its owner (``kind`` "personal"). The secret is stored as its SHA-256 with a
    visible prefix; ``scopes`` are the OAuth scope names it may ask for, space-separated
    (``premises.identity.clients``, docs/adr/0009-identity-for-three-dialects.md)."""

    __tablename__ = "api_clients"
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(IdColumn())
    user_id: Mapped[str] = mapped_column(IdColumn())
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(64))
    secret_prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
    revoked_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_api_clients_account_user", "account_id", "user_id"),)


class AccessToken(Base):
    """Global: an OAuth 2.0 access token (stored as its SHA-256) issued to a client; read on every /v1
    request (``identity.authentication.BearerTokenResolver``), so expiry and revocation apply at once."""

    __tablename__ = "access_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(IdColumn())
    client_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(IdColumn())
    scopes: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    revoked_at: Mapped[int | None] = mapped_column(BigInteger)
    # Moved by ``identity.service.access_changed`` (as a session's): principals cached from it are rebuilt.
    access_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    __table_args__ = (Index("ix_access_tokens_client", "client_id"),)
