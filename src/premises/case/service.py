"""Cases, write side: create, change, delete, comment, link; and the sites' case types.

Rules (reference §2.3, §3.2; docs/dialects/v1.md "Cases"):
* A case is made at a site (a top-level place the principal is a member of, with a role there that
  may create cases). Its ``number`` comes from the site's counter (``kit.counters.next_value``,
  "case:<site id>"), so parallel creations at one site get consecutive numbers; its ``code`` is
  "<site code>-<number>" ("LA-1"; a site without a code lends its initials), fixed once made.
* ``case_type`` is a name among the site's case types (any case; stored as the type spells it). A
  site's types are the seven defaults plus its own; a site made before cases existed gets the
  defaults when it first needs them (``site_case_types``, under the site's row lock).
* ``status`` moves along ``commands.TRANSITIONS``; any other move is InvalidState (422). Closing stamps
  ``closed_at``; reopening (closed -> todo) clears it and counts the reopening.
* ``priority`` is "1" (the most urgent) to "5", default "3"; the assignee defaults to the creator.
* At most one linked resident (a contact), unit (a place under the case's site), contractor (a vendor
  contact) and asset: each a plain reference, checked like every other.
* Every change writes one ``case_activity`` row per changed field (who, when, old -> new) and records
  its event in the same transaction: CASE_CREATED, CASE_UPDATED (a comment, a link), CASE_CLOSED (a
  change that closes the case), CASE_DELETED.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from premises.asset.service import check_asset
from premises.case import visibility
from premises.case.commands import (
    DEFAULT_PRIORITY,
    DEFAULT_TYPE,
    DEFAULT_TYPES,
    PRIORITIES,
    TRANSITIONS,
    CaseChanges,
    CaseCreate,
    Status,
)
from premises.errors import Conflict, DomainValidation, ErrorCode, InvalidState, NotFound, PermissionDenied
from premises.event.service import record_change
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit.commands import given
from premises.kit.counters import next_value
from premises.kit.ids import new_id, new_sortable_id
from premises.kit.references import require_live
from premises.kit.text import required_text
from premises.kit.time import ms_to_iso, now_ms
from premises.models import Case, CaseActivity, CaseComment, CaseLink, CaseType, Contact, Occupancy, Place, User
from premises.models._helpers import name_key_of
from premises.place.service import check_location, initials, site_of

# The fields a change compares, stores and logs, in the order the activity lists them.
LOGGED = (
    "title",
    "case_type",
    "description",
    "status",
    "priority",
    "due",
    "assignee_user_id",
    "unit_id",
    "resident_id",
    "contractor_id",
    "asset_id",
)


# ------------------------------------------------------------------------------------------ loading


def _load(session: Session, principal: Principal, case_id: str, action: str) -> Case:
    """The live case, locked, if the principal sees it and its role at the case's site allows ``action``;
    a case it does not see is NotFound (a role that may not do it anywhere hears so first)."""
    case = session.get(Case, (principal.account_id, case_id), with_for_update=True)
    if case is None or case.deleted_at is not None or not visibility.sees(principal, case.site_id):
        principal.require("case", action)
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="case")
    principal.require("case", action, at=case.site_id)
    return case


def load_site(session: Session, principal: Principal, site_id: str, field: str = "site_id") -> Place:
    """A site the principal names, locked: one it is not a member of is 403 naming it (as a ``sites``
    filter is), one that is no live top-level place of the account is NOT_FOUND."""
    if not principal.sees_place(site_id):
        raise PermissionDenied(ErrorCode.NOT_A_SITE_MEMBER, field=field, id=site_id[:100])
    site = session.get(Place, (principal.account_id, site_id), with_for_update=True)
    if site is None or site.deleted_at is not None or site.parent_id is not None:
        raise DomainValidation(ErrorCode.NOT_FOUND, field=field, id=site_id)
    return site


# ------------------------------------------------------------------------------------------ case types


def site_case_types(session: Session, principal: Principal, site: Place) -> list[CaseType]:
    """The site's live case types, the defaults first, then the site's own, oldest first. The seven
    defaults are made when it has none (a site made before cases existed); the caller holds the site's
    row lock (``load_site``)."""
    rows = list(
        session.scalars(
            select(CaseType)
            .where(
                CaseType.account_id == principal.account_id,
                CaseType.site_id == site.id,
                CaseType.deleted_at.is_(None),
            )
            .order_by(CaseType.is_default.desc(), CaseType.created_at, CaseType.id)
        )
    )
    if rows:
        return rows
    now = now_ms()
    for offset, name in enumerate(DEFAULT_TYPES):
        rows.append(_new_type(principal, site, name, now + offset, is_default=True))
    session.add_all(rows)
    session.flush()
    return rows


def _new_type(principal: Principal, site: Place, name: str, now: int, *, is_default: bool) -> CaseType:
    return CaseType(
        account_id=principal.account_id,
        id=new_id(),
        site_id=site.id,
        name=name,
        name_key=name_key_of(name),
        is_default=is_default,
        created_by_user_id=None if is_default else principal.user_id,
        created_at=now,
        updated_at=now,
    )


def ensure_case_types(session: Session, principal: Principal, site_id: str) -> None:
    """Give a site its default case types if it has none yet (reading them needs only the read grant)."""
    principal.require("case_type", "read", at=site_id)
    site_case_types(session, principal, load_site(session, principal, site_id))


def add_case_type(session: Session, principal: Principal, site_id: str, name: str) -> CaseType:
    """A case type of the site's own ("Waste Management"); unique by name (any case) at the site."""
    site = load_site(session, principal, site_id)
    principal.require("case_type", "create", at=site.id)
    name = required_text(name, "name")
    existing = site_case_types(session, principal, site)
    if any(t.name_key == name_key_of(name) for t in existing):
        raise Conflict(ErrorCode.DUPLICATE, field="name", record="case type")
    case_type = _new_type(principal, site, name, now_ms(), is_default=False)
    session.add(case_type)
    return case_type


def _type_of(session: Session, principal: Principal, site: Place, name: Any) -> str:
    """The site's case type of this name (any case), as the type spells it; else NOT_ONE_OF listing them."""
    types = site_case_types(session, principal, site)
    wanted = name_key_of(name) if isinstance(name, str) else None
    for case_type in types:
        if case_type.name_key == wanted:
            return case_type.name
    raise DomainValidation(ErrorCode.NOT_ONE_OF, field="case_type", choices=", ".join(t.name for t in types))


# ------------------------------------------------------------------------------------------ validation


def _status(value: Any) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="status", choices=", ".join(Status)) from None


def _priority(value: Any) -> str:
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if text not in PRIORITIES:
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="priority", choices=", ".join(PRIORITIES))
    return text


def _check_links(session: Session, principal: Principal, site_id: str, fields: dict[str, Any]) -> None:
    """Each reference given: a live record of the account the principal may see (else NOT_FOUND naming it)."""
    account_id = principal.account_id
    if fields.get("assignee_user_id"):
        require_live(session, User, account_id, fields["assignee_user_id"], "assignee_user_id")
    if fields.get("unit_id"):
        unit = check_location(session, principal, fields["unit_id"], "unit_id")
        if unit.id == site_id or site_of(session, unit) != site_id:
            raise DomainValidation(ErrorCode.NOT_FOUND, field="unit_id", id=fields["unit_id"])
    if fields.get("resident_id"):
        # a resident of this site: a contact elsewhere would show its name to whoever reads the case
        require_live(session, Contact, account_id, fields["resident_id"], "resident_id")
        occupancy_site = session.scalar(
            select(Occupancy.site_id).where(
                Occupancy.account_id == account_id, Occupancy.contact_id == fields["resident_id"]
            )
        )
        if occupancy_site != site_id:
            raise DomainValidation(ErrorCode.NOT_FOUND, field="resident_id", id=fields["resident_id"])
    if fields.get("contractor_id"):
        contractor = require_live(session, Contact, account_id, fields["contractor_id"], "contractor_id")
        if not contractor.is_vendor:
            raise DomainValidation(ErrorCode.NOT_FOUND, field="contractor_id", id=fields["contractor_id"])
    if fields.get("asset_id"):
        check_asset(session, principal, fields["asset_id"], "asset_id")


def _logged(name: str, value: Any) -> str | None:
    """A value as the activity log keeps it (instants as ISO 8601)."""
    if value is None:
        return None
    return ms_to_iso(value) if name == "due" else str(value)


def _activity(
    session: Session,
    principal: Principal,
    case: Case,
    action: str,
    now: int,
    changes: Sequence[tuple[str | None, Any, Any]] = ((None, None, None),),
) -> None:
    """One activity row per changed field (``(field, old, new)``), or one for the whole case."""
    for field, old, new in changes:
        session.add(
            CaseActivity(
                account_id=principal.account_id,
                id=new_sortable_id(),
                case_id=case.id,
                actor_user_id=principal.user_id,
                action=action,
                field=field,
                old_value=_logged(field, old) if field else old,
                new_value=_logged(field, new) if field else new,
                at=now,
            )
        )


def _event(session: Session, principal: Principal, type_: EventType, case: Case, **extra: Any) -> None:
    record_change(session, principal, type_, "case", case, **extra)


# ------------------------------------------------------------------------------------------ cases


def create_case(session: Session, principal: Principal, command: CaseCreate) -> Case:
    if not principal.site_roles:  # per-site roles: decided at the site
        principal.require("case", "create")
    site = load_site(session, principal, command.site_id)
    principal.require("case", "create", at=site.id)
    fields = given(command)
    title = required_text(command.title, "title")
    case_type = _type_of(session, principal, site, command.case_type or DEFAULT_TYPE)
    status = _status(command.status or Status.TODO)
    priority = _priority(command.priority or DEFAULT_PRIORITY)
    fields["assignee_user_id"] = command.assignee_user_id or principal.user_id
    _check_links(session, principal, site.id, fields)
    number = next_value(session, principal.account_id, f"case:{site.id}")
    now = now_ms()
    case = Case(
        account_id=principal.account_id,
        id=new_id(),
        site_id=site.id,
        number=number,
        code=f"{site.code or initials(site.name)}-{number}",
        case_type=case_type,
        title=title,
        description=command.description,
        status=status.value,
        priority=priority,
        due=command.due,
        assignee_user_id=fields["assignee_user_id"],
        unit_id=command.unit_id,
        resident_id=command.resident_id,
        contractor_id=command.contractor_id,
        asset_id=command.asset_id,
        closed_at=now if status is Status.CLOSED else None,
        reopen_count=0,
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    _activity(session, principal, case, "created", now, [("status", None, case.status)])
    _event(session, principal, EventType.CASE_CREATED, case)
    return case


def _transition(case: Case, wanted: Status, now: int) -> None:
    current = Status(case.status)
    if wanted not in TRANSITIONS[current]:
        raise InvalidState(ErrorCode.INVALID_TRANSITION, record="case", current=current.value, wanted=wanted.value)
    if wanted is Status.CLOSED:
        case.closed_at = now
    elif current is Status.CLOSED:
        case.closed_at = None
        case.reopen_count += 1


def update_case(session: Session, principal: Principal, case_id: str, changes: CaseChanges) -> Case:
    case = _load(session, principal, case_id, "update")
    fields = given(changes)
    if "title" in fields:
        fields["title"] = required_text(fields["title"], "title")
    if "case_type" in fields:
        site = load_site(session, principal, case.site_id)
        fields["case_type"] = _type_of(session, principal, site, fields["case_type"])
    if "priority" in fields:
        fields["priority"] = _priority(fields["priority"])
    if "status" in fields:
        fields["status"] = _status(fields["status"]).value
    changed = [(name, getattr(case, name), fields[name]) for name in LOGGED if name in fields]
    changed = [(name, old, new) for name, old, new in changed if old != new]
    if not changed:
        return case
    _check_links(session, principal, case.site_id, {name: new for name, _, new in changed})
    now = now_ms()
    closed = False
    for name, _, new in changed:
        if name == "status":
            _transition(case, Status(new), now)
            closed = new == Status.CLOSED
        setattr(case, name, new)
    case.updated_at = now
    _activity(session, principal, case, "updated", now, changed)
    _event(session, principal, EventType.CASE_CLOSED if closed else EventType.CASE_UPDATED, case)
    return case


def delete_case(session: Session, principal: Principal, case_id: str) -> None:
    """Soft delete: the case leaves every list and link; its number is never reused."""
    case = _load(session, principal, case_id, "delete")
    now = now_ms()
    case.deleted_at = now
    case.updated_at = now
    _activity(session, principal, case, "deleted", now)
    _event(session, principal, EventType.CASE_DELETED, case)


# ------------------------------------------------------------------------------------------ comments


def add_comment(session: Session, principal: Principal, case_id: str, body: str) -> CaseComment:
    case = _load(session, principal, case_id, "comment")
    text = required_text(body, "body")
    now = now_ms()
    comment = CaseComment(
        account_id=principal.account_id,
        id=new_id(),
        case_id=case.id,
        author_user_id=principal.user_id,
        body=text,
        created_at=now,
        updated_at=now,
    )
    session.add(comment)
    case.updated_at = now
    session.flush()
    _activity(session, principal, case, "commented", now, [("comment", None, comment.id)])
    _event(session, principal, EventType.CASE_UPDATED, case, comment_id=comment.id)
    return comment


# ------------------------------------------------------------------------------------------ links


def _pair(session: Session, principal: Principal, case_id: str, other_id: str) -> tuple[Case, Case]:
    """Both cases, locked in id order (two links made at once never wait on each other)."""
    if other_id == case_id:
        raise DomainValidation(ErrorCode.INVALID, field="linked_case_id")
    loaded: dict[str, Case] = {}
    for key in sorted((case_id, other_id)):
        try:
            loaded[key] = _load(session, principal, key, "update")
        except NotFound:
            if key == case_id:
                raise
            raise DomainValidation(ErrorCode.NOT_FOUND, field="linked_case_id", id=other_id) from None
    return loaded[case_id], loaded[other_id]


def _linked(session: Session, account_id: str, case_id: str, other_id: str) -> bool:
    return session.get(CaseLink, (account_id, case_id, other_id)) is not None


def link_cases(session: Session, principal: Principal, case_id: str, other_id: str) -> Case:
    """Link two cases (both ways); linking them again changes nothing. Returns the other case."""
    case, other = _pair(session, principal, case_id, other_id)
    if _linked(session, principal.account_id, case.id, other.id):
        return other
    now = now_ms()
    for one, two in ((case, other), (other, case)):
        session.add(
            CaseLink(
                account_id=principal.account_id,
                case_id=one.id,
                other_case_id=two.id,
                created_by_user_id=principal.user_id,
                created_at=now,
            )
        )
        one.updated_at = now
        _activity(session, principal, one, "linked", now, [("linked_case_id", None, two.id)])
    session.flush()
    for one in (case, other):
        _event(session, principal, EventType.CASE_UPDATED, one)
    return other


def unlink_cases(session: Session, principal: Principal, case_id: str, other_id: str) -> None:
    """Remove the link between two cases (both ways); NotFound when they are not linked."""
    case, other = _pair(session, principal, case_id, other_id)
    if not _linked(session, principal.account_id, case.id, other.id):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="case link")
    session.execute(
        delete(CaseLink).where(
            CaseLink.account_id == principal.account_id,
            CaseLink.case_id.in_((case.id, other.id)),
            CaseLink.other_case_id.in_((case.id, other.id)),
        )
    )
    now = now_ms()
    for one, two in ((case, other), (other, case)):
        one.updated_at = now
        _activity(session, principal, one, "unlinked", now, [("linked_case_id", two.id, None)])
        _event(session, principal, EventType.CASE_UPDATED, one)


# ------------------------------------------------------------------------------------------ work orders


def case_for_work_order(
    session: Session, principal: Principal, case_id: str, location_id: str | None, *, field: str | None = "case_id"
) -> Case:
    """The live case a work order is made for, locked, if the principal sees it: else NOT_FOUND naming
    ``field`` (a body's reference) or, with ``field`` None, NotFound (the case a path names). The work
    order's place, when given, is the case's site or a place under it (else INVALID naming ``field``)."""
    try:
        case = _load(session, principal, case_id, "read")
    except NotFound:
        if field is None:
            raise
        raise DomainValidation(ErrorCode.NOT_FOUND, field=field, id=case_id) from None
    if location_id is not None:
        place = check_location(session, principal, location_id)
        if site_of(session, place) != case.site_id:
            raise DomainValidation(ErrorCode.INVALID, field=field or "location_id")
    return case


def record_work_order(session: Session, principal: Principal, case: Case, work_order_id: str) -> None:
    """Note on the case's activity that a work order was made for it (``linked``, ``work_order_id``)."""
    now = now_ms()
    case.updated_at = now
    _activity(session, principal, case, "linked", now, [("work_order_id", None, work_order_id)])
    _event(session, principal, EventType.CASE_UPDATED, case, work_order_id=work_order_id)
