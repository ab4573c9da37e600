"""Helpers for the place tests."""

from __future__ import annotations

from premises.identity.principal import Principal
from premises.models import Place
from premises.place import service
from premises.place.commands import PlaceCreate
from tests.domain.conftest import DomainAccount


def new_place(account: DomainAccount, name: str, parent: Place | None = None, *, as_: Principal | None = None) -> Place:
    command = PlaceCreate(name=name, parent_id=parent.id if parent else None)
    return account.write(lambda s: service.create_location(s, as_ or account.admin, command))
