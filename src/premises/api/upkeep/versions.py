"""UpKeep's API versions: the ``upkeep-version`` request header, else the account's default.

UpKeep dates its versions (``upkeep-version: '2021-11-23'``; the current one is 2022-09-14) and serves
each request in the version the header names, or else the default version of the account (Premises:
``accounts.upkeep_api_version``, set with ``premises account set-api-version``; none means the current
one). Only one difference is served: before 2022-09-14 work orders recur the legacy way
(``preventive.legacy``: ``recurringSchedule`` on /work-orders, /preventative-maintenance as legacy
recurring work orders). docs/dialects/upkeep.md#versions.
"""

from __future__ import annotations

from fastapi import Request

from premises.account.queries import upkeep_api_version
from premises.account.service import check_api_version
from premises.api.kit.errors import WireInputError
from premises.api.runtime import Runtime
from premises.errors import DomainValidation
from premises.identity.principal import Principal

HEADER = "upkeep-version"
CURRENT = "2022-09-14"
RECURRING_SUNSET = "2022-09-14"  # legacy recurring work orders: versions before this one


async def version_of(request: Request, runtime: Runtime, principal: Principal) -> str:
    """The version of this request: the header's (400 naming the header if it is no date), else the account's."""
    sent = request.headers.get(HEADER)
    if sent is not None:
        try:
            return check_api_version(sent, HEADER)
        except DomainValidation as error:
            raise WireInputError(error.code, field=HEADER, **error.params) from None
    return await upkeep_api_version(runtime.reader, principal.account_id) or CURRENT


async def legacy_recurring(request: Request, runtime: Runtime, principal: Principal) -> bool:
    """Whether this request's work orders recur the legacy way (a version before 2022-09-14)."""
    return await version_of(request, runtime, principal) < RECURRING_SUNSET
