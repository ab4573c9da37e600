"""The one way a number from the wire becomes an ``int`` or a ``float`` (query strings, bodies, links).

Python's own conversions are too lenient for input from strangers: ``"²".isdigit()`` is true but
``int("²")`` fails, ``int()`` takes Arabic-Indic and full-width digits, underscores and refuses more
than 4,300 digits with a ValueError of its own; ``float()`` takes ``"nan"``, ``"inf"`` and ``"1_0"``.
Here a text is a number only when it is ASCII, short, and spelt as JSON would spell it; the result
always fits what the database can hold (64-bit integers, finite doubles).

Every failure is a :class:`NumberError` (a ``ValueError``); :class:`NumberOutOfRange` is the kind for
a well-formed number outside the bounds, so a caller can word the two differently.
"""

from __future__ import annotations

import math
import re

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
MAX_INT_DIGITS = 20  # more than any 64-bit integer has; checked before int() sees the text
MAX_NUMBER_CHARS = 64  # a double needs at most 24 characters in scientific notation
MAX_ABS_NUMBER = 1e15  # doubles are exact integers up to 2**53; amounts, hours, coordinates stay below

_INTEGER = re.compile(rf"[+-]?[0-9]{{1,{MAX_INT_DIGITS}}}", re.ASCII)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?", re.ASCII)


class NumberError(ValueError):
    """Not an integer (or not a number) the wire accepts."""


class NumberOutOfRange(NumberError):
    """A well-formed number outside the bounds asked for."""


def parse_int(value: object, *, minimum: int = INT64_MIN, maximum: int = INT64_MAX) -> int:
    """An ``int`` from an int, an integral finite float, or a text ``[+-]?[0-9]{1,20}`` (surrounding
    white space allowed); within ``minimum..maximum`` (default: what a 64-bit column holds).

    Booleans, other types, non-ASCII digits, signs twice, exponents, empty texts and over-long texts
    raise :class:`NumberError`; values outside the bounds raise :class:`NumberOutOfRange`.
    """
    number: int
    if isinstance(value, bool):
        raise NumberError("not an integer")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise NumberError("not an integer")
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if _INTEGER.fullmatch(text) is None:
            raise NumberError("not an integer")
        number = int(text)
    else:
        raise NumberError("not an integer")
    if not minimum <= number <= maximum:
        raise NumberOutOfRange(f"not between {minimum} and {maximum}")
    return number


def parse_number(value: object, *, max_abs: float = MAX_ABS_NUMBER) -> float:
    """A finite ``float`` from an int, a float, or a decimal text as JSON spells it (``-1.5``,
    ``2e3``; also ``+1``, ``.5`` and ``1.``); at most ``max_abs`` away from zero.

    ``NaN``, ``Infinity`` (as a text), non-ASCII digits, underscores and texts over 64 characters raise
    :class:`NumberError`; a number beyond ``max_abs`` (``1e999`` too) raises :class:`NumberOutOfRange`.
    """
    number: float
    if isinstance(value, bool):
        raise NumberError("not a number")
    if isinstance(value, int):
        if abs(value) > max_abs:  # before float(), which overflows on a 400-digit int
            raise NumberOutOfRange(f"more than {max_abs:g} away from zero")
        number = float(value)
    elif isinstance(value, float):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_NUMBER_CHARS or _NUMBER.fullmatch(text) is None:
            raise NumberError("not a number")
        number = float(text)
    else:
        raise NumberError("not a number")
    if math.isnan(number):
        raise NumberError("not a number")
    if abs(number) > max_abs:  # infinity included
        raise NumberOutOfRange(f"more than {max_abs:g} away from zero")
    return number
