"""OAuth 2.0 API clients (client credentials, RFC 6749 §4.4): the credentials /v1 integrations use.

A client belongs to one account and acts as one user of it:

* a **service account** (``ClientKind.SERVICE_ACCOUNT``): a user made for the client, without a
  login (it can never sign in with a password), with an account-wide role and, when sites are
  given, site memberships with a role per site (Onsite's "a service account added as a user to each
  relevant site"). Without sites it reaches every site with its account-wide role, as a user that is
  not location-based does;
* a **personal client** (``ClientKind.PERSONAL``): a client of an existing user, acting with that
  user's own role and sites (staff who want to script).

The client id is public (``pc_`` + 24 lower-case letters and digits); the secret (``pcs_`` + 43
characters of ``token_urlsafe``, 256 random bits) is shown once and stored as its SHA-256 with a
visible prefix (``secret_prefix``) so an operator can tell secrets apart. SHA-256 and not argon2:
the secret is a random 256-bit value, not a human password, so no dictionary or brute force can
reach it and a slow hash would only make every token request (and every attacker's request) cost
CPU. Both alphabets are RFC 3986 unreserved characters, so HTTP Basic with or without the form
encoding RFC 6749 §2.3.1 asks for sends the same bytes.

``scopes`` are the OAuth scope names the client may ask for (``OAUTH_SCOPES``); a token narrows its
user's role by the domain scopes they stand for (``domain_scopes``; docs/adr/0009).
"""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.orm import Session

from premises.db.reader import Reader
from premises.errors import DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.identity.principal import Principal, scope_of
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import AccessToken, ApiClient, User
from premises.user.commands import SiteRole
from premises.user.service import get_user_for_write, set_site_memberships

CLIENT_ID_PREFIX = "pc_"
SECRET_PREFIX = "pcs_"
SHOWN_SECRET_CHARS = 6  # characters of the secret after its prefix kept visible (``secret_prefix``)
SERVICE_ACCOUNT_DOMAIN = "api-clients.invalid"  # service accounts' email addresses (no login, never mailed)
_ID_ALPHABET = string.ascii_lowercase + string.digits


class ClientKind(StrEnum):
    SERVICE_ACCOUNT = "service_account"
    PERSONAL = "personal"


def _domain(resource: str, *actions: str) -> frozenset[str]:
    return frozenset(scope_of(resource, action) for action in actions)


# OAuth scope name -> the domain scopes it allows (``Principal.scopes``); None: no narrowing (the role
# decides alone: reference §6.4 "issue a default scope and rely on site roles"). New /v1 resources add
# their ``<resource>:read`` / ``<resource>:write`` pairs here.
OAUTH_SCOPES: dict[str, frozenset[str] | None] = {
    "api": None,
    "sites:read": _domain("location", "read"),
    "sites:write": _domain("location", "read", "create", "update"),
    "cases:read": _domain("case", "read") | _domain("case_type", "read"),
    "cases:write": _domain("case", "read", "create", "update", "comment") | _domain("case_type", "read", "create"),
    # A resident is also a customer (its contact), written under the resident's permission at its site.
    "residents:read": _domain("resident", "read"),
    "residents:write": _domain("resident", "read", "create", "update"),
    "contacts:read": _domain("contact", "read"),
    "contacts:write": (
        _domain("contact", "read") | _domain("customer", "create", "update") | _domain("vendor", "create", "update")
    ),
    "workOrders:read": _domain("work_order", "read"),
    "workOrders:write": _domain("work_order", "read", "create", "update", "delete", "assign", "comment"),
    "requests:read": _domain("request", "read"),
    "requests:write": _domain("request", "read", "create", "cancel", "delete", "decide"),
    "users:read": _domain("user", "read"),
    "users:write": _domain("user", "read", "create", "update", "set_locations"),
    # A team shows its members: users.
    "teams:read": _domain("team", "read") | _domain("user", "read"),
    "teams:write": _domain("team", "read", "create", "update", "delete") | _domain("user", "read"),
    "contractors:read": _domain("vendor", "read"),
    "contractors:write": _domain("vendor", "read", "create", "update"),
    "costCategories:read": _domain("cost_category", "read"),
    "documents:read": _domain("file", "read"),
    "documents:write": _domain("file", "read", "create"),
    "assets:read": _domain("asset", "read"),
    "assets:write": _domain("asset", "read", "create", "update", "delete", "record_downtime"),
    "parts:read": _domain("part", "read"),
    "parts:write": _domain("part", "read", "create", "update", "delete"),
    "purchaseOrders:read": _domain("purchase_order", "read") | _domain("purchase_order_category", "read"),
    "purchaseOrders:write": (
        _domain("purchase_order", "read", "create", "update", "approve", "fulfill", "delete")
        | _domain("purchase_order_category", "read", "write")
    ),
    "preventiveMaintenance:read": _domain("preventive_maintenance", "read"),
    "preventiveMaintenance:write": _domain("preventive_maintenance", "read", "create", "update", "delete"),
    "meters:read": _domain("meter", "read"),
    "meters:write": _domain("meter", "read", "create", "update", "delete")
    | _domain("meter_reading", "create", "update", "delete"),
    "formTemplates:read": _domain("form_template", "read"),
    "formTemplates:write": _domain("form_template", "read", "write"),
    "webhooks:read": _domain("webhook", "read"),
    "webhooks:write": _domain("webhook", "read", "create", "update", "delete"),
}
DEFAULT_SCOPES = ("api",)


def check_scopes(names: Iterable[str], *, allowed: Iterable[str] | None = None) -> tuple[str, ...]:
    """The scope names, each known (and among ``allowed`` when given), in order without repeats; else
    DomainValidation(INVALID_SCOPE) naming the first that is not."""
    permitted = set(OAUTH_SCOPES if allowed is None else allowed) & set(OAUTH_SCOPES)
    out = tuple(dict.fromkeys(names))
    for name in out:
        if name not in permitted:
            raise DomainValidation(ErrorCode.INVALID_SCOPE, field="scope", value=name[:100])
    return out


def domain_scopes(names: Iterable[str]) -> frozenset[str] | None:
    """The domain scopes a token's OAuth scopes allow (None: unrestricted, as ``api`` is)."""
    out: set[str] = set()
    for name in names:
        allowed = OAUTH_SCOPES.get(name, frozenset())
        if allowed is None:
            return None
        out |= allowed
    return frozenset(out)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_client_id() -> str:
    return CLIENT_ID_PREFIX + "".join(secrets.choice(_ID_ALPHABET) for _ in range(24))


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class NewSecret:
    """What the operator is shown once: the client id and its secret (and the user it acts as)."""

    client_id: str
    client_secret: str
    user_id: str


def _clean_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise DomainValidation(ErrorCode.REQUIRED, field="name")
    if len(cleaned) > 200:
        raise DomainValidation(ErrorCode.TOO_LONG, field="name")
    return cleaned


def _add_client(
    session: Session,
    principal: Principal,
    *,
    client_id: str,
    user_id: str,
    kind: ClientKind,
    name: str,
    scopes: Sequence[str],
) -> NewSecret:
    secret = _new_secret()
    now = now_ms()
    session.add(
        ApiClient(
            client_id=client_id,
            account_id=principal.account_id,
            user_id=user_id,
            kind=kind.value,
            name=name,
            secret_hash=secret_hash(secret),
            secret_prefix=secret[: len(SECRET_PREFIX) + SHOWN_SECRET_CHARS],
            scopes=" ".join(check_scopes(scopes or DEFAULT_SCOPES)),
            created_at=now,
            updated_at=now,
        )
    )
    return NewSecret(client_id, secret, user_id)


def create_service_client(
    session: Session,
    principal: Principal,
    *,
    name: str,
    sites: Sequence[SiteRole] = (),
    role: Role = Role.STAFF,
    scopes: Sequence[str] = DEFAULT_SCOPES,
) -> NewSecret:
    """A client acting as a new service account: a user named ``name`` without a login, with ``role``
    account-wide and, when ``sites`` are given, only those sites (each with its role, default ``role``)."""
    principal.require("user", "create")
    if principal.location_ids is not None and not sites:  # it would reach every site
        raise PermissionDenied(ErrorCode.SCOPED_ADMIN_CREATES_SCOPED)
    cleaned = _clean_name(name)
    check_scopes(scopes)
    client_id = _new_client_id()
    now = now_ms()
    user = User(
        account_id=principal.account_id,
        id=new_id(),
        email=f"{client_id}@{SERVICE_ACCOUNT_DOMAIN}",
        account_type=Role(role).value,
        first_name=cleaned,
        last_name=None,
        is_location_based=bool(sites),
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    session.flush()
    if sites:
        set_site_memberships(session, principal, user.id, sites)
    return _add_client(
        session,
        principal,
        client_id=client_id,
        user_id=user.id,
        kind=ClientKind.SERVICE_ACCOUNT,
        name=cleaned,
        scopes=scopes,
    )


def create_personal_client(
    session: Session, principal: Principal, *, name: str, user_id: str, scopes: Sequence[str] = DEFAULT_SCOPES
) -> NewSecret:
    """A client acting as an existing user with its own rights (a user for itself, or an account-wide
    admin for anyone: a client acting as another user is that user's credential)."""
    if user_id != principal.user_id:
        _require_account_admin(principal)
    get_user_for_write(session, principal, user_id)
    return _add_client(
        session,
        principal,
        client_id=_new_client_id(),
        user_id=user_id,
        kind=ClientKind.PERSONAL,
        name=_clean_name(name),
        scopes=scopes,
    )


def _require_account_admin(principal: Principal) -> None:
    """Managing other users' clients: an admin of the whole account. A location-based admin could
    otherwise rotate the secret of a client that reaches sites it does not (and act through it)."""
    principal.require("user", "update")
    if principal.location_ids is not None:
        raise PermissionDenied(ErrorCode.SCOPED_ADMIN_OUTSIDE_SITES)


def _load(session: Session, principal: Principal, client_id: str) -> ApiClient:
    """A live client of the principal's account that the principal manages (its own personal client,
    or any as an account-wide admin)."""
    client = session.get(ApiClient, client_id, with_for_update=True)
    if client is None or client.account_id != principal.account_id or client.revoked_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="API client")
    if client.user_id != principal.user_id or client.kind != ClientKind.PERSONAL:
        _require_account_admin(principal)
    return client


def rotate_secret(session: Session, principal: Principal, client_id: str) -> NewSecret:
    """A new secret for the client; the old one stops working at once. Tokens already issued stay valid
    until they expire (revoke the client to end them)."""
    client = _load(session, principal, client_id)
    secret = _new_secret()
    client.secret_hash = secret_hash(secret)
    client.secret_prefix = secret[: len(SECRET_PREFIX) + SHOWN_SECRET_CHARS]
    client.updated_at = now_ms()
    return NewSecret(client.client_id, secret, client.user_id)


def revoke_client(session: Session, principal: Principal, client_id: str) -> None:
    """End the client: its secret and every token it was issued stop working at once (each /v1 request
    reads its token row). Its service account stays, as the author of what the client did."""
    client = _load(session, principal, client_id)
    now = now_ms()
    client.revoked_at = client.updated_at = now
    session.execute(
        update(AccessToken)
        .where(AccessToken.client_id == client.client_id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


_CLIENT_COLUMNS = ("client_id", "user_id", "kind", "name", "secret_prefix", "scopes", "created_at", "updated_at")
_LIST_SQL = (
    "SELECT " + ", ".join(_CLIENT_COLUMNS) + " FROM api_clients WHERE account_id = :account_id AND revoked_at IS NULL"
)


async def list_clients(
    reader: Reader, principal: Principal, *, offset: int = 0, limit: int = 50
) -> tuple[list[dict[str, object]], int]:
    """The account's live clients, oldest first (a page of them, and how many there are); an admin's
    view (the secret never: only its prefix; account-wide admins only). ``scopes``: a tuple of names."""
    _require_account_admin(principal)
    params = {"account_id": principal.account_id, "limit": limit, "offset": offset}
    rows = await reader.fetch(_LIST_SQL + " ORDER BY created_at, client_id LIMIT :limit OFFSET :offset", params)
    total = await reader.fetchrow(
        "SELECT COUNT(*) FROM api_clients WHERE account_id = :account_id AND revoked_at IS NULL", params
    )
    items = [dict(zip(_CLIENT_COLUMNS, row, strict=True)) for row in rows]
    for item in items:
        item["scopes"] = tuple(str(item["scopes"]).split())
    return items, int(total[0]) if total is not None else 0
