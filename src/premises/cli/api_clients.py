"""``premises api-client ...``: OAuth 2.0 clients of /v1 for operators (``premises.identity.clients``).

``create`` makes a client acting as a new service account (``--site SITE_ID[:ROLE]`` as many times as
needed; without ``--site`` it reaches every site with ``--role``) or, with ``--user``, a personal client
of an existing user. ``create`` and ``rotate`` print ``{"client_id", "client_secret"}`` as JSON: the
secret is shown this once and stored hashed. ``revoke`` ends the client and every token it was issued.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from premises.cli.common import exit_with, in_transaction, ready_settings, reports_problems, say
from premises.operations.problems import ExitCode

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from premises.identity.clients import NewSecret
    from premises.identity.permissions import Role
    from premises.user.commands import SiteRole

T = TypeVar("T")
api_client_app = typer.Typer(
    help="OAuth 2.0 clients of the /v1 API (client credentials).", no_args_is_help=True, rich_markup_mode=None
)

Account = Annotated[str, typer.Option(help="The account's id.")]
ClientId = Annotated[str, typer.Option("--client-id", help="The client's id (pc_...).")]


def _role(value: str, option: str) -> Role:
    from premises.identity.permissions import Role

    try:
        return Role(value.strip().upper())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise exit_with(ExitCode.USAGE, f"error: {option} {value!r} is not a role; use one of {choices}") from None


def _sites(values: list[str]) -> list[SiteRole]:
    from premises.user.commands import SiteRole

    out = []
    for value in values:
        site_id, _, role = value.partition(":")
        if not site_id.strip():
            raise exit_with(ExitCode.USAGE, f"error: --site {value!r} names no site; use SITE_ID[:ROLE]")
        out.append(SiteRole(site_id.strip(), _role(role, "--site role") if role else None))
    return out


def _in_account(account: str, work: Callable[[Session], T]) -> Callable[[Session], T]:
    """``work``, after checking that the account exists (else "account not found")."""
    from premises.errors import ErrorCode, NotFound
    from premises.models import Account

    def run(session: Session) -> T:
        if session.get(Account, account) is None:
            raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="account")
        return work(session)

    return run


def _print(secret: NewSecret) -> None:
    sys.stdout.write(json.dumps({"client_id": secret.client_id, "client_secret": secret.client_secret}) + "\n")


@api_client_app.command("create")
@reports_problems
def create(
    account: Account,
    name: Annotated[str, typer.Option(help="The client's (and its service account's) name.")],
    site: Annotated[
        list[str] | None, typer.Option(help="SITE_ID[:ROLE]: a site the service account is added to (repeatable).")
    ] = None,
    role: Annotated[str, typer.Option(help="The service account's role (on sites given without one).")] = "STAFF",
    user: Annotated[str | None, typer.Option(help="A personal client of this user (acting with its rights).")] = None,
    scope: Annotated[list[str] | None, typer.Option(help="An OAuth scope the client may ask for (repeatable).")] = None,
) -> None:
    """Create a client; print {"client_id": ..., "client_secret": ...} as JSON (the secret is shown once)."""
    from premises.identity.clients import DEFAULT_SCOPES, create_personal_client, create_service_client
    from premises.user.operator import operator_of

    scopes = tuple(scope or DEFAULT_SCOPES)
    if user is not None and site:
        raise exit_with(ExitCode.USAGE, "error: a personal client (--user) acts on its user's sites: drop --site")
    sites, account_role = _sites(site or []), _role(role, "--role")
    principal = operator_of(account)
    current = ready_settings()
    if user is not None:
        created = in_transaction(
            current,
            _in_account(
                account, lambda s: create_personal_client(s, principal, name=name, user_id=user, scopes=scopes)
            ),
        )
    else:
        created = in_transaction(
            current,
            _in_account(
                account,
                lambda s: create_service_client(s, principal, name=name, sites=sites, role=account_role, scopes=scopes),
            ),
        )
    _print(created)


@api_client_app.command("rotate")
@reports_problems
def rotate(account: Account, client_id: ClientId) -> None:
    """Give the client a new secret (the old one stops working); print the new one as JSON."""
    from premises.identity.clients import rotate_secret
    from premises.user.operator import operator_of

    _print(in_transaction(ready_settings(), lambda s: rotate_secret(s, operator_of(account), client_id)))


@api_client_app.command("revoke")
@reports_problems
def revoke(account: Account, client_id: ClientId) -> None:
    """End the client: its secret and every access token it was issued stop working at once."""
    from premises.identity.clients import revoke_client
    from premises.user.operator import operator_of

    in_transaction(ready_settings(), lambda s: revoke_client(s, operator_of(account), client_id))
    say(f"client {client_id} is revoked; its tokens no longer work")
