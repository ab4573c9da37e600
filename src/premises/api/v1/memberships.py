"""Site memberships as /v1 bodies take them: ``"sites": [{"site": SITE_ID, "role": "MANAGER"}]`` (the
role may be left out: the user's own), for API clients' service accounts and users (ADR 9)."""

from __future__ import annotations

from typing import Any

from premises.api.kit.body import not_one_of
from premises.api.kit.errors import WireInputError
from premises.errors import ErrorCode
from premises.identity.permissions import Role
from premises.user.commands import SiteRole

ROLES = tuple(r.value for r in Role)
SITE_ROLES_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["site"],
        "properties": {"site": {"type": "string"}, "role": {"enum": list(ROLES)}},
    },
}


def site_roles(items: list[dict[str, Any]], field: str = "sites") -> list[SiteRole]:
    """The memberships of a body's ``sites`` list; a bad item is a 400 naming it (``sites[1].role``)."""
    out = []
    for index, item in enumerate(items):
        site, role = item.get("site"), item.get("role")
        if not isinstance(site, str) or not site:
            raise WireInputError(ErrorCode.REQUIRED, field=f"{field}[{index}].site")
        if role is not None and role not in ROLES:
            raise not_one_of(f"{field}[{index}].role", ROLES)
        out.append(SiteRole(site, None if role is None else Role(role)))
    return out
