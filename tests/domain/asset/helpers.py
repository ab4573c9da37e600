"""Helpers for the asset service tests."""

from __future__ import annotations

from premises.asset import service
from premises.asset.commands import AssetCreate
from premises.models import Asset
from tests.domain.conftest import DomainAccount


def new_asset(account: DomainAccount, name: str = "Boiler", **fields: object) -> Asset:
    command = AssetCreate(name=name, **fields)  # type: ignore[arg-type]
    return account.write(lambda s: service.create_asset(s, account.admin, command))
