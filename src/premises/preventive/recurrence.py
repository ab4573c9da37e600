"""When a preventive-maintenance trigger comes due: an RFC 5545 rule in wall-clock time (dateutil's rrule).

A schedule is evaluated in the local time of its IANA zone (``rrtzid``) and only then turned into
instants, so "every Monday at 08:00 in Europe/Berlin" stays at 08:00 across daylight-saving changes
(07:00 UTC in winter, 06:00 UTC in summer). A local time that does not exist (the hour skipped in
spring) is read with the offset before the change (02:30 on 2026-03-29 in Berlin is 03:30 CEST); a
local time that occurs twice (autumn) is its first occurrence. docs/preventive-maintenance.md.

Everything here is pure: the service validates and stores a schedule with :func:`schedule_of`, the
sweep asks :func:`next_after`, :func:`latest_until` and :func:`after_completion`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, YEARLY, rrule, rruleset

from premises.errors import DomainValidation, ErrorCode
from premises.kit.time import datetime_to_ms

FREQUENCIES = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
WEEKDAYS = {"MO": MO, "TU": TU, "WE": WE, "TH": TH, "FR": FR, "SA": SA, "SU": SU}
# UpKeep's schedule types and the frequency each is made of.
SCHEDULE_TYPES = {
    "EVERY_N_DAYS": "DAILY",
    "EVERY_N_WEEKS": "WEEKLY",
    "EVERY_N_WEEKS_BY_DAY_OF_THE_WEEK": "WEEKLY",
    "EVERY_N_MONTHS": "MONTHLY",
    "EVERY_N_MONTHS_ON_NTH_WEEKDAY": "MONTHLY",
    "EVERY_N_MONTHS_ON_NTH_DAY_FROM_BEGINNING_OR_END": "MONTHLY",
    "EVERY_N_YEARS": "YEARLY",
}
# What a schedule type needs besides its frequency (domain names).
NEEDS = {
    "EVERY_N_WEEKS_BY_DAY_OF_THE_WEEK": ("rrbyweekday",),
    "EVERY_N_MONTHS_ON_NTH_WEEKDAY": ("rrbyweekday", "rrbysetpos"),
    "EVERY_N_MONTHS_ON_NTH_DAY_FROM_BEGINNING_OR_END": ("rrbymonthday",),
}
MAX_INTERVAL = 1000
FIRST_YEAR, LAST_YEAR = 1970, 2200
MAX_LIST = 366
_LOCAL = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$")


@dataclass(frozen=True, slots=True)
class Schedule:
    """A validated schedule: every local time is naive wall-clock time in ``tz``."""

    freq: str
    interval: int
    dtstart: dt.datetime
    tz: ZoneInfo
    byweekday: tuple[str, ...] = ()
    bymonthday: tuple[int, ...] = ()
    bysetpos: tuple[int, ...] = ()
    until: dt.datetime | None = None
    rdates: tuple[dt.datetime, ...] = ()
    exdates: tuple[dt.datetime, ...] = ()

    def rule(self, dtstart: dt.datetime | None = None, interval: int | None = None) -> rrule:
        return rrule(
            FREQUENCIES[self.freq],
            dtstart=dtstart or self.dtstart,
            interval=interval or self.interval,
            byweekday=[WEEKDAYS[d] for d in self.byweekday] or None,
            bymonthday=list(self.bymonthday) or None,
            bysetpos=list(self.bysetpos) or None,
            until=self.until,
            cache=False,
        )

    def ruleset(self) -> rruleset:
        rules = rruleset()
        rules.rrule(self.rule())
        for date in self.rdates:
            rules.rdate(date)
        for date in self.exdates:
            rules.exdate(date)
        return rules


# ------------------------------------------------------------------------------------------ time


def zone(name: object, field: str = "rrtzid") -> ZoneInfo:
    if not isinstance(name, str) or not name.strip():
        raise DomainValidation(ErrorCode.REQUIRED, field=field)
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainValidation(ErrorCode.NOT_A_TIME_ZONE, field=field, value=name) from None


def parse_local(value: object, tz: ZoneInfo, field: str) -> dt.datetime:
    """A wall-clock time in ``tz``: ``2023-01-17T12:12:44`` as it is; an instant (``...Z``, an offset,
    epoch ms) as the local time it is in ``tz``; a date alone as its midnight. Seconds are kept, no less."""
    expected = "a date and time such as 2023-01-17T12:12:44"
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise DomainValidation(ErrorCode.WRONG_TYPE, field=field, expected=expected)
    text = value.strip() if isinstance(value, str) else ""
    try:
        if isinstance(value, int):
            parsed = local_of(value, tz)
        elif _LOCAL.match(text):
            parsed = dt.datetime.fromisoformat(text)
        else:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
            if parsed.tzinfo is None:
                raise ValueError(text)
            parsed = parsed.astimezone(tz).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise DomainValidation(ErrorCode.WRONG_TYPE, field=field, expected=expected) from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:  # rules run years ahead: keep them inside datetime's range
        raise DomainValidation(ErrorCode.WRONG_TYPE, field=field, expected=f"a date from {FIRST_YEAR} to {LAST_YEAR}")
    return parsed.replace(microsecond=0)


def format_local(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def to_instant(local: dt.datetime, tz: ZoneInfo) -> int:
    """Epoch ms of a wall-clock time (fold 0: a repeated hour's first pass, a skipped hour's earlier offset)."""
    return datetime_to_ms(local.replace(tzinfo=tz, fold=0))


def local_of(ms: int, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000, tz).replace(tzinfo=None, microsecond=0)


# ------------------------------------------------------------------------------------------ validation


def _ints(value: object, field: str, low: int, high: int) -> tuple[int, ...]:
    items = _list(value, field)
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise DomainValidation(ErrorCode.WRONG_TYPE, field=field, expected=f"a list of integers {low}..{high}")
        try:
            number = int(item)
        except ValueError:
            raise DomainValidation(
                ErrorCode.WRONG_TYPE, field=field, expected=f"a list of integers {low}..{high}"
            ) from None
        if not low <= number <= high or number == 0:
            raise DomainValidation(ErrorCode.NOT_BETWEEN, field=field, min=low, max=high)
        out.append(number)
    return tuple(out)


def _list(value: object, field: str) -> Sequence[object]:
    if value is None:
        return ()
    if isinstance(value, str | int) and not isinstance(value, bool):
        value = [value]  # one value where a list is expected (UpKeep's tables say "String")
    if not isinstance(value, list | tuple) or len(value) > MAX_LIST:
        raise DomainValidation(ErrorCode.WRONG_TYPE, field=field, expected=f"a list of at most {MAX_LIST} values")
    return value


def _weekdays(value: object) -> tuple[str, ...]:
    days = []
    for item in _list(value, "rrbyweekday"):
        day = item.strip().upper() if isinstance(item, str) else item
        if day not in WEEKDAYS:
            raise DomainValidation(ErrorCode.NOT_ONE_OF, field="rrbyweekday", choices=", ".join(WEEKDAYS))
        days.append(str(day))
    return tuple(dict.fromkeys(days))


def _dates(value: object, tz: ZoneInfo, field: str) -> tuple[dt.datetime, ...]:
    return tuple(sorted({parse_local(item, tz, field) for item in _list(value, field)}))


def schedule_of(fields: dict[str, object]) -> Schedule:
    """The schedule a trigger's fields describe (domain names, as stored or given); DomainValidation if none."""
    tz = zone(fields.get("rrtzid"))
    schedule_type = fields.get("schedule_type")
    if schedule_type not in SCHEDULE_TYPES:
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="schedule_type", choices=", ".join(SCHEDULE_TYPES))
    freq = fields.get("rrfreq") or SCHEDULE_TYPES[str(schedule_type)]
    if freq not in FREQUENCIES:
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="rrfreq", choices=", ".join(FREQUENCIES))
    if freq != SCHEDULE_TYPES[str(schedule_type)]:
        raise DomainValidation(
            ErrorCode.WRONG_TYPE, field="rrfreq", expected=f"{SCHEDULE_TYPES[str(schedule_type)]} for {schedule_type}"
        )
    interval = fields.get("rrinterval")
    interval = 1 if interval is None else interval
    if isinstance(interval, bool) or not isinstance(interval, int) or not 1 <= interval <= MAX_INTERVAL:
        raise DomainValidation(ErrorCode.NOT_BETWEEN, field="rrinterval", min=1, max=MAX_INTERVAL)
    if fields.get("rrdtstart") is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="rrdtstart")
    schedule = Schedule(
        freq=str(freq),
        interval=interval,
        dtstart=parse_local(fields["rrdtstart"], tz, "rrdtstart"),
        tz=tz,
        byweekday=_weekdays(fields.get("rrbyweekday")),
        bymonthday=_ints(fields.get("rrbymonthday"), "rrbymonthday", -31, 31),
        bysetpos=_ints(fields.get("rrbysetpos"), "rrbysetpos", -366, 366),
        until=None if fields.get("rruntil") is None else parse_local(fields["rruntil"], tz, "rruntil"),
        rdates=_dates(fields.get("rdates"), tz, "rdates"),
        exdates=_dates(fields.get("exdates"), tz, "exdates"),
    )
    for name in NEEDS.get(str(schedule_type), ()):
        if not getattr(schedule, name.removeprefix("rr")):
            raise DomainValidation(ErrorCode.SCHEDULE_NEEDS, field=name, schedule_type=schedule_type)
    if schedule.bysetpos and not (schedule.byweekday or schedule.bymonthday):
        raise DomainValidation(ErrorCode.SCHEDULE_NEEDS, field="rrbyweekday", schedule_type=schedule_type)
    if first(schedule) is None:
        raise DomainValidation(ErrorCode.NEVER_OCCURS, field="rruntil" if schedule.until else "rrdtstart")
    return schedule


# ------------------------------------------------------------------------------------------ occurrences


def first(schedule: Schedule) -> int | None:
    """The schedule's first occurrence (epoch ms), or None if it has none."""
    occurrence = schedule.ruleset().after(dt.datetime(1, 1, 1), inc=True)  # noqa: DTZ001 - local wall-clock time
    return None if occurrence is None else to_instant(occurrence, schedule.tz)


def next_after(schedule: Schedule, ms: int) -> int | None:
    """The first occurrence strictly after the instant ``ms``; None when the schedule has ended."""
    local = local_of(ms, schedule.tz)
    for occurrence in schedule.ruleset().xafter(local, inc=True):
        instant = to_instant(occurrence, schedule.tz)
        if instant > ms:
            return instant
    return None


def latest_until(schedule: Schedule, ms: int) -> int | None:
    """The last occurrence at or before the instant ``ms`` (what a late sweep creates), or None."""
    occurrence = schedule.ruleset().before(local_of(ms, schedule.tz) + dt.timedelta(seconds=1))
    while occurrence is not None and to_instant(occurrence, schedule.tz) > ms:
        occurrence = schedule.ruleset().before(occurrence)
    return None if occurrence is None else to_instant(occurrence, schedule.tz)


def occurrences(schedule: Schedule, count: int) -> list[int]:
    """The first ``count`` occurrences (epoch ms): for tests and previews."""
    out = []
    for occurrence in schedule.ruleset():
        out.append(to_instant(occurrence, schedule.tz))
        if len(out) == count:
            break
    return out


STEP = {"DAILY": "days", "WEEKLY": "weeks", "MONTHLY": "months", "YEARLY": "years"}


def after_completion(schedule: Schedule, completed_ms: int) -> int | None:
    """The next occurrence of a completion-based schedule: one interval after the day the last work
    order was completed, at the schedule's time of day, then the first day that fits the rule's
    weekdays / month days from there (``exdates`` skipped, ``rruntil`` ending it)."""
    day = local_of(completed_ms, schedule.tz).date()
    anchor = dt.datetime.combine(day, schedule.dtstart.time())
    step = relativedelta(**{STEP[schedule.freq]: schedule.interval})
    found: dt.datetime | None = anchor + step
    if schedule.byweekday or schedule.bymonthday:
        excluded = set(schedule.exdates)
        found = next((o for o in schedule.rule(dtstart=found, interval=1) if o not in excluded), None)
    while found is not None and found in schedule.exdates:
        found += step
    if found is None or (schedule.until is not None and found > schedule.until):
        return None
    return to_instant(found, schedule.tz)
