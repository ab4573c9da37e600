"""The wire's one integer and number parser (premises.kit.numbers), over arbitrary text."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from premises.kit.numbers import (
    INT64_MAX,
    INT64_MIN,
    MAX_ABS_NUMBER,
    NumberError,
    NumberOutOfRange,
    parse_int,
    parse_number,
)
from premises.kit.time import parse_instant

ASCII_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
HOSTILE = ["²", "--5", "-", "+", "1e3", "٣", "\uff11", "9" * 5000, "", " ", "NaN", "Infinity", "1_000", "0x10", "1.5"]

# Text that looks like numbers: digits of every script, signs, dots, exponents, white space.
numberish = st.text(alphabet=st.sampled_from("0123456789+-.eE _²³¹٣١۴߂०\uff11\uff19 \t\n\u00a0xXnaNIfity"), max_size=30)
any_text = st.one_of(st.text(), numberish, st.from_regex(r"\A\s*[+-]?[0-9]{1,40}\s*\Z"))


@given(any_text)
@example("9" * 5000)
@example(str(2**63))
@example(str(-(2**63)))
@example(" +12 ")
def test_parse_int_is_int_of_ascii_digits_or_its_own_error(text: str) -> None:
    try:
        number = parse_int(text)
    except NumberError:
        stripped = text.strip()
        if ASCII_INTEGER.fullmatch(stripped) and len(stripped.lstrip("+-")) <= 18:
            pytest.fail(f"refused a plain integer: {text!r}")
        return
    stripped = text.strip()
    assert ASCII_INTEGER.fullmatch(stripped), text
    assert number == int(stripped)
    assert INT64_MIN <= number <= INT64_MAX


@given(st.integers())
def test_parse_int_keeps_what_a_bigint_holds(number: int) -> None:
    for value in (number, str(number)):
        if INT64_MIN <= number <= INT64_MAX:
            assert parse_int(value) == number
        else:
            with pytest.raises(NumberError):
                parse_int(value)


@given(st.integers(-(10**18), 10**18), st.integers(-100, 100), st.integers(-100, 100))
def test_parse_int_bounds(number: int, low: int, high: int) -> None:
    if low <= number <= high:
        assert parse_int(str(number), minimum=low, maximum=high) == number
    else:
        with pytest.raises(NumberOutOfRange):
            parse_int(str(number), minimum=low, maximum=high)


@pytest.mark.parametrize("value", [*HOSTILE, None, True, 1.5, math.nan, math.inf, [], {}])
def test_parse_int_refuses(value: object) -> None:
    with pytest.raises(NumberError):
        parse_int(value)


@given(any_text)
@example("1e999")
@example("9" * 5000)
def test_parse_number_is_a_finite_ascii_decimal_or_its_own_error(text: str) -> None:
    try:
        number = parse_number(text)
    except NumberError:
        return
    assert text.strip().isascii()
    assert "_" not in text
    assert math.isfinite(number)
    assert abs(number) <= MAX_ABS_NUMBER
    assert number == float(text.strip())


@pytest.mark.parametrize(
    "value", ["²", "--5", "-", "+", "٣", "\uff11", "9" * 5000, "", " ", "NaN", "Infinity", "inf", "1_0", None, True]
)
def test_parse_number_refuses(value: object) -> None:
    with pytest.raises(NumberError):
        parse_number(value)


def test_parse_number_range() -> None:
    assert parse_number("1e3") == 1000.0
    assert parse_number(" -.5 ") == -0.5
    for value in ("1e999", 10**400, 2e15, math.inf, -math.inf):
        with pytest.raises(NumberOutOfRange):
            parse_number(value)


@given(any_text)
@example("--5")
@example("9" * 5000)
def test_parse_instant_raises_only_value_error(text: str) -> None:
    try:
        ms = parse_instant(text)
    except ValueError:
        return
    assert INT64_MIN <= ms <= INT64_MAX
