"""``premises account ...`` and ``premises user ...``: accounts and users for operators (the first
admin, and a way back in for one who locked themselves out). Passwords come from a hidden prompt
(asked twice) or one line of standard input (``--password-stdin``), never from an argument unless
the caller insists (``account create --admin-password``, kept for scripts)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from premises.cli.common import exit_with, in_transaction, read_password, ready_settings, reports_problems, say
from premises.operations.problems import ExitCode

if TYPE_CHECKING:
    from premises.identity.passwords import NewPassword

account_app = typer.Typer(help="Accounts (tenants).", no_args_is_help=True, rich_markup_mode=None)
user_app = typer.Typer(
    help="Users of an account, for operators (no session needed).", no_args_is_help=True, rich_markup_mode=None
)


def _new_password(password: str, email: str, min_length: int) -> NewPassword:
    """The password checked against the policy and hashed, before any transaction."""
    from premises.identity.passwords import NewPassword, PasswordPolicy

    return NewPassword.make(password, email=email, policy=PasswordPolicy(min_length=min_length))


@account_app.command("create")
@reports_problems
def account_create(
    name: Annotated[str, typer.Option(help="Account (organisation) name.")],
    admin_email: Annotated[str, typer.Option(help="Email of the first admin user.")],
    admin_password: Annotated[
        str | None, typer.Option(help="Password of the first admin user (visible to ps: prefer the prompt).")
    ] = None,
    admin_password_stdin: Annotated[
        bool, typer.Option(help="Read the admin password from the first line of standard input.")
    ] = False,
) -> None:
    """Create an account with an admin user; print {"account_id": ..., "user_id": ...} as JSON."""
    from premises.account.service import create_account

    password = admin_password if admin_password is not None else read_password(stdin=admin_password_stdin)
    current = ready_settings()
    new_password = _new_password(password, admin_email, current.password_min_length)
    created = in_transaction(
        current, lambda s: create_account(s, name=name, admin_email=admin_email, admin_password=new_password)
    )
    sys.stdout.write(json.dumps({"account_id": created.account_id, "user_id": created.user_id}) + "\n")


@account_app.command("set-api-version")
@reports_problems
def account_set_api_version(
    account: Annotated[str, typer.Option(help="The account's id.")],
    version: Annotated[
        str, typer.Option(help="UpKeep API version (YYYY-MM-DD) of requests without an upkeep-version header.")
    ],
) -> None:
    """Set an account's default UpKeep API version ("current": the newest); before 2022-09-14 work orders
    recur the legacy way (docs/dialects/upkeep.md#versions)."""
    from premises.account.service import set_upkeep_api_version

    wanted = None if version.strip().lower() == "current" else version
    stored = in_transaction(ready_settings(), lambda s: set_upkeep_api_version(s, account, wanted))
    say(f"account {account}: default UpKeep API version {stored or 'current'}")


PasswordStdin = Annotated[bool, typer.Option(help="Read the password from the first line of standard input.")]
Email = Annotated[str, typer.Option(help="The user's email (its login).")]


@user_app.command("create")
@reports_problems
def user_create(
    account: Annotated[str, typer.Option(help="The account's id.")],
    email: Email,
    role: Annotated[str, typer.Option(help="The role: ADMIN, TECH, LIMITED_TECH, VIEW_ONLY, REQUESTER, ...")],
    name: Annotated[str | None, typer.Option(help="First and last name.")] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user in an account; print {"account_id": ..., "user_id": ...} as JSON."""
    from premises.identity.permissions import Role
    from premises.user.commands import UserCreate
    from premises.user.operator import create_user_as_operator

    try:
        account_type = Role(role.strip().upper())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise exit_with(ExitCode.USAGE, f"error: --role {role!r} is not a role; use one of {choices}") from None
    password = read_password(stdin=password_stdin)
    current = ready_settings()
    first, _, last = (name or "").strip().partition(" ")
    command = UserCreate(
        email=email, account_type=account_type, first_name=first or None, last_name=last.strip() or None
    )
    new_password = _new_password(password, email, current.password_min_length)
    user = in_transaction(current, lambda s: create_user_as_operator(s, account, command, new_password))
    sys.stdout.write(json.dumps({"account_id": user.account_id, "user_id": user.id}) + "\n")


@user_app.command("set-password")
@reports_problems
def user_set_password(email: Email, password_stdin: PasswordStdin = False) -> None:
    """Set a user's password (for one locked out); every session of the user ends."""
    from premises.user.operator import set_password_as_operator

    password = read_password(stdin=password_stdin, prompt="New password")
    current = ready_settings()
    new_password = _new_password(password, email, current.password_min_length)
    user = in_transaction(current, lambda s: set_password_as_operator(s, email, new_password))
    say(f"password of {user.email} changed; its sessions have ended")


@user_app.command("disable")
@reports_problems
def user_disable(email: Email) -> None:
    """Deactivate a user: it can no longer log in, and every session of it ends."""
    from premises.user.operator import disable_as_operator

    user = in_transaction(ready_settings(), lambda s: disable_as_operator(s, email))
    say(f"{user.email} is disabled; its sessions have ended")
