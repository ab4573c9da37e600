"""The PM recurrence against examples worked out by hand (a calendar and the zones' published offsets),
not by dateutil: each expected instant is written as UTC text."""

from __future__ import annotations

from typing import Any

import pytest

from premises.errors import DomainValidation
from premises.kit.time import ms_to_iso, parse_instant
from premises.preventive.recurrence import (
    after_completion,
    latest_until,
    next_after,
    occurrences,
    parse_local,
    schedule_of,
    zone,
)


def schedule(**fields: Any) -> Any:
    return schedule_of({"rrtzid": "UTC", **fields})


def utc(*instants: str) -> list[str]:
    return [f"{instant}.000Z" for instant in instants]


def first(s: Any, count: int) -> list[str | None]:
    return [ms_to_iso(ms) for ms in occurrences(s, count)]


def test_third_monday_of_every_month_in_kolkata() -> None:
    # January 2026 starts on a Thursday: its Mondays are 5, 12, 19; February's and March's 2, 9, 16;
    # April's 6, 13, 20. 09:00 in Kolkata (UTC+5:30, no daylight saving) is 03:30 UTC.
    s = schedule(
        schedule_type="EVERY_N_MONTHS_ON_NTH_WEEKDAY",
        rrtzid="Asia/Kolkata",
        rrdtstart="2026-01-01T09:00:00",
        rrbyweekday=["MO"],
        rrbysetpos=[3],
    )
    assert first(s, 4) == utc(
        "2026-01-19T03:30:00", "2026-02-16T03:30:00", "2026-03-16T03:30:00", "2026-04-20T03:30:00"
    )


def test_every_two_weeks_on_sunday_and_thursday() -> None:
    # Starting Thursday 2026-01-01: that week's Thursday and Sunday (the 4th), then every other week
    # (weeks start on Monday): the 15th and 18th, the 29th and February 1st.
    s = schedule(
        schedule_type="EVERY_N_WEEKS_BY_DAY_OF_THE_WEEK",
        rrfreq="WEEKLY",
        rrinterval=2,
        rrdtstart="2026-01-01T07:00:00",
        rrbyweekday=["SU", "TH"],
    )
    assert first(s, 6) == utc(
        "2026-01-01T07:00:00",
        "2026-01-04T07:00:00",
        "2026-01-15T07:00:00",
        "2026-01-18T07:00:00",
        "2026-01-29T07:00:00",
        "2026-02-01T07:00:00",
    )


def test_last_day_of_the_month_in_new_york() -> None:
    # 2024 is a leap year; New York moves to daylight time (UTC-4) on 2024-03-10, so noon is 17:00 UTC
    # in January and February and 16:00 UTC from March on.
    s = schedule(
        schedule_type="EVERY_N_MONTHS_ON_NTH_DAY_FROM_BEGINNING_OR_END",
        rrtzid="America/New_York",
        rrdtstart="2024-01-15T12:00:00",
        rrbymonthday=[-1],
    )
    assert first(s, 4) == utc(
        "2024-01-31T17:00:00", "2024-02-29T17:00:00", "2024-03-31T16:00:00", "2024-04-30T16:00:00"
    )


def test_a_daily_schedule_across_berlins_spring_change() -> None:
    # Berlin leaves CET (UTC+1) for CEST (UTC+2) at 02:00 on 2026-03-29: 08:00 stays 08:00 local.
    s = schedule(schedule_type="EVERY_N_DAYS", rrtzid="Europe/Berlin", rrdtstart="2026-03-27T08:00:00")
    assert first(s, 4) == utc(
        "2026-03-27T07:00:00", "2026-03-28T07:00:00", "2026-03-29T06:00:00", "2026-03-30T06:00:00"
    )


def test_a_time_the_spring_change_skips_and_one_the_autumn_change_repeats() -> None:
    # 02:30 does not exist in Berlin on 2026-03-29: it is read with the offset before the change
    # (01:30 UTC, 03:30 CEST). 02:30 happens twice on 2026-10-25: the first time (CEST) counts.
    spring = schedule(schedule_type="EVERY_N_DAYS", rrtzid="Europe/Berlin", rrdtstart="2026-03-28T02:30:00")
    assert first(spring, 3) == utc("2026-03-28T01:30:00", "2026-03-29T01:30:00", "2026-03-30T00:30:00")
    autumn = schedule(schedule_type="EVERY_N_DAYS", rrtzid="Europe/Berlin", rrdtstart="2026-10-24T02:30:00")
    assert first(autumn, 3) == utc("2026-10-24T00:30:00", "2026-10-25T00:30:00", "2026-10-26T01:30:00")


def test_completion_based_next_occurrence() -> None:
    # Every 30 days, based on completion: done on 2026-03-05 -> due 30 days later at the schedule's hour.
    days = schedule(schedule_type="EVERY_N_DAYS", rrinterval=30, rrdtstart="2026-01-01T08:00:00")
    assert ms_to_iso(after_completion(days, parse_instant("2026-03-05T17:00:00Z"))) == "2026-04-04T08:00:00.000Z"
    # Every 2 weeks on Monday: done on Wednesday 2026-03-04 -> two weeks on is Wednesday the 18th,
    # and the first Monday from there is the 23rd.
    mondays = schedule(
        schedule_type="EVERY_N_WEEKS_BY_DAY_OF_THE_WEEK",
        rrfreq="WEEKLY",
        rrinterval=2,
        rrdtstart="2026-01-05T08:00:00",
        rrbyweekday=["MO"],
    )
    assert ms_to_iso(after_completion(mondays, parse_instant("2026-03-04T10:00:00Z"))) == "2026-03-23T08:00:00.000Z"
    # Past rruntil, the schedule has ended.
    ending = schedule(
        schedule_type="EVERY_N_DAYS", rrinterval=30, rrdtstart="2026-01-01T08:00:00", rruntil="2026-03-31"
    )
    assert after_completion(ending, parse_instant("2026-03-05T17:00:00Z")) is None


def test_rdates_exdates_and_until() -> None:
    s = schedule(
        schedule_type="EVERY_N_WEEKS",
        rrfreq="WEEKLY",
        rrdtstart="2026-01-05T08:00:00",
        rruntil="2026-01-26T08:00:00",
        exdates=["2026-01-12T08:00:00"],
        rdates=["2026-01-14T15:00:00"],
    )
    assert first(s, 10) == utc(
        "2026-01-05T08:00:00", "2026-01-14T15:00:00", "2026-01-19T08:00:00", "2026-01-26T08:00:00"
    )


def test_next_after_and_latest_until() -> None:
    s = schedule(schedule_type="EVERY_N_DAYS", rrdtstart="2026-01-01T08:00:00")
    at_eight = parse_instant("2026-01-03T08:00:00Z")
    assert ms_to_iso(next_after(s, at_eight)) == "2026-01-04T08:00:00.000Z"
    assert ms_to_iso(next_after(s, at_eight - 1)) == "2026-01-03T08:00:00.000Z"
    assert ms_to_iso(latest_until(s, at_eight)) == "2026-01-03T08:00:00.000Z"
    assert ms_to_iso(latest_until(s, at_eight - 1)) == "2026-01-02T08:00:00.000Z"
    assert latest_until(s, parse_instant("2025-12-31T00:00:00Z")) is None
    short = schedule(schedule_type="EVERY_N_DAYS", rrdtstart="2026-01-01T08:00:00", rruntil="2026-01-02T08:00:00")
    assert next_after(short, parse_instant("2026-01-02T08:00:00Z")) is None


def test_local_times() -> None:
    kolkata = zone("Asia/Kolkata")
    # A naive time is wall-clock time in the zone; an instant is converted to it.
    assert parse_local("2023-01-17T12:12:44", kolkata, "rrdtstart").isoformat() == "2023-01-17T12:12:44"
    assert parse_local("2023-01-17T12:12:44.000Z", kolkata, "rrdtstart").isoformat() == "2023-01-17T17:42:44"
    assert parse_local("2023-01-17", kolkata, "rrdtstart").isoformat() == "2023-01-17T00:00:00"
    assert parse_local(parse_instant("2023-01-17T00:00:00Z"), kolkata, "x").isoformat() == "2023-01-17T05:30:00"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rrtzid": "Nowhere/Else"}, "rrtzid"),
        ({"schedule_type": "HOURLY"}, "schedule_type"),
        ({"rrfreq": "YEARLY"}, "rrfreq"),
        ({"rrinterval": 0}, "rrinterval"),
        ({"rrdtstart": "soon"}, "rrdtstart"),
        ({"rrdtstart": "9999-12-31T23:59:59"}, "rrdtstart"),
        ({"rrdtstart": 10**20}, "rrdtstart"),
        ({"rruntil": True}, "rruntil"),
        ({"rrbymonthday": [0]}, "rrbymonthday"),
        ({"rrbymonthday": [32]}, "rrbymonthday"),
        ({"rruntil": "2025-01-01"}, "rruntil"),
        ({"schedule_type": "EVERY_N_MONTHS_ON_NTH_DAY_FROM_BEGINNING_OR_END"}, "rrbymonthday"),
    ],
)
def test_refused(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainValidation) as refused:
        schedule_of({"schedule_type": "EVERY_N_MONTHS", "rrtzid": "UTC", "rrdtstart": "2026-01-01T00:00:00", **fields})
    assert refused.value.field == field
