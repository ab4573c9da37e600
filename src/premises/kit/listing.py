"""A dialect-neutral list request: conditions, sort keys, free-text search, count, cursors, paging.

Two forms share :class:`ListQuery`:

- **the simple form** (every ``/api/v2`` list today): ``equals`` (column -> value, ``None`` = IS NULL),
  ``ranges`` (column, one of ``<``/``<=``/``>``/``>=``, integer), one sort column ``order_column`` /
  ``descending`` with the id as tie-breaker, ``offset`` / ``limit``. The columns come from the
  dialect's static list declarations; ``Select.apply`` compiles them as it always has.
- **the catalogued form**, for richer dialects: ``ListQuery.of(CATALOGUE)`` then ``where``,
  ``order``, ``search_for``, ``with_count``, ``after``. Every name is a domain name looked up in the
  resource's :class:`~premises.kit.fields.Catalogue`; every value is coerced by the field's type
  (numbers through ``premises.kit.numbers``); anything else is a ``DomainValidation`` with a code of
  the "Lists" section and ``field=<the domain name>`` before any SQL is built. A condition holds the
  field's declaration, so only declared columns and expressions ever reach SQL.

Semantics, the same on SQLite and PostgreSQL:

- ``!=``, NOT IN and NOT LIKE are the complement of ``=``, IN and LIKE: they match NULL too.
  IN with an empty list matches nothing; NOT IN with an empty list matches everything.
  BETWEEN is inclusive (SQL). ``=`` takes no ``None``: ask with IS NULL.
- LIKE patterns: ``%`` is any text, ``_`` one character, ``\\`` makes the next ``%``, ``_`` or ``\\``
  literal (any other escape, or a trailing ``\\``, is ``INVALID_PATTERN``); :func:`like_literal`
  escapes a text. LIKE ignores ASCII case on both engines (beyond ASCII the engines differ).
- Search: the text splits on white space into at most ``MAX_SEARCH_TERMS`` terms; each term must
  occur (as a literal, case-insensitively) in at least one searchable field.
- Sort: up to ``MAX_SORT_KEYS`` keys, then the catalogue's key (``id``) in the first key's direction,
  so ties have one order. NULL sorts as the largest value (last ascending, first descending).
  Texts order by the engine's collation.
- Cursors: :meth:`ListQuery.next_cursor` encodes the sort values of a page's last row (plus the key);
  :meth:`ListQuery.after` continues after it. A cursor is opaque (base64url JSON) and validated, not
  signed: it carries a fingerprint of the resource and sort it was made for, and each value must
  coerce as its field's type. It grants nothing: the principal's filters still apply to every page.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from premises.errors import DomainValidation, ErrorCode
from premises.kit.fields import Catalogue, Field, FieldType, Op
from premises.kit.ids import ID_COLUMN_LENGTH
from premises.kit.numbers import INT64_MAX, INT64_MIN, NumberError, NumberOutOfRange, parse_int, parse_number

MAX_IN_VALUES = 500  # far below both engines' parameter limits
MAX_SORT_KEYS = 5
MAX_SEARCH_TERMS = 10
MAX_SEARCH_CHARS = 200
MAX_CURSOR_CHARS = 2048
TEXT_LENGTH = 5000  # a Text column's bound (as for bodies)
CURSOR_VERSION = 1
_NUMERIC = frozenset({FieldType.INTEGER, FieldType.INSTANT, FieldType.NUMBER})
_OPERATOR_SPELLINGS = {"==": Op.EQ, "<>": Op.NE}


@dataclass(frozen=True, slots=True)
class Condition:
    """One validated filter. ``value``: a scalar, a tuple (IN, NOT IN, BETWEEN) or None (IS [NOT] NULL)."""

    field: Field
    op: Op
    value: Any = None


@dataclass(frozen=True, slots=True)
class SortKey:
    field: Field
    descending: bool = False


@dataclass
class ListQuery:
    equals: dict[str, Any] = field(default_factory=dict)  # domain column -> value
    ranges: list[tuple[str, str, int]] = field(default_factory=list)  # (column, operator, value)
    order_column: str = "created_at"
    descending: bool = True
    offset: int = 0
    limit: int = 100
    # The catalogued form (see the module docstring); built through the methods below.
    catalogue: Catalogue | None = None
    conditions: list[Condition] = field(default_factory=list)
    sort: list[SortKey] = field(default_factory=list)  # empty: the simple form's order_column
    search: tuple[str, ...] = ()  # LIKE patterns, one per term
    count: bool = False  # also run the COUNT statement (total matching, ignoring paging)
    cursor: tuple[Any, ...] | None = None  # the sort values to continue after, aligned with sort_keys()

    @classmethod
    def of(cls, catalogue: Catalogue, *, limit: int = 100, offset: int = 0) -> ListQuery:
        return cls(offset=offset, limit=limit, catalogue=catalogue)

    def _catalogue(self) -> Catalogue:
        if self.catalogue is None:
            raise ValueError("this ListQuery has no catalogue: build it with ListQuery.of(catalogue)")
        return self.catalogue

    def _field(self, name: object) -> Field:
        found = self._catalogue().get(name)
        if found is None:
            raise DomainValidation(ErrorCode.UNKNOWN_FIELD, field=_shown(name))
        return found

    def where(self, name: str, op: Op | str, value: object = None) -> ListQuery:
        """Add the condition ``name op value`` (``name`` a domain name); validated and coerced."""
        f = self._field(name)
        operator = parse_op(op, f.name)
        if operator not in f.operators:
            raise DomainValidation(ErrorCode.OPERATOR_NOT_ALLOWED, field=f.name, operator=operator.value)
        self.conditions.append(Condition(f, operator, _condition_value(f, operator, value)))
        return self

    def order(self, name: str, *, descending: bool = False) -> ListQuery:
        """Add a sort key (after those already given)."""
        if self.cursor is not None:
            raise ValueError("give the sort before the cursor")
        f = self._field(name)
        if not f.is_sortable:
            raise DomainValidation(ErrorCode.NOT_SORTABLE, field=f.name)
        if any(key.field is f for key in self.sort):
            return self
        if len(self.sort) >= MAX_SORT_KEYS:
            raise DomainValidation(ErrorCode.TOO_MANY_VALUES, field="sort", maximum=MAX_SORT_KEYS)
        self.sort.append(SortKey(f, descending))
        return self

    def search_for(self, text: object) -> ListQuery:
        """Free-text search over the catalogue's searchable fields (blank text: no search)."""
        catalogue = self._catalogue()
        if not isinstance(text, str):
            raise DomainValidation(ErrorCode.WRONG_TYPE, field="search", expected="a text")
        _check_text(text, "search", MAX_SEARCH_CHARS)
        terms = text.split()
        if not terms:
            return self
        if not catalogue.searchable:
            raise DomainValidation(ErrorCode.NOT_SEARCHABLE, field="search")
        if len(terms) > MAX_SEARCH_TERMS:
            raise DomainValidation(ErrorCode.TOO_MANY_VALUES, field="search", maximum=MAX_SEARCH_TERMS)
        self.search = tuple(f"%{like_literal(term)}%" for term in dict.fromkeys(terms))
        return self

    def with_count(self, wanted: bool = True) -> ListQuery:
        self.count = wanted
        return self

    def sort_keys(self) -> tuple[SortKey, ...]:
        """The catalogued sort, ending with the catalogue's key; () in the simple form."""
        if not self.sort:
            return ()
        catalogue = self._catalogue()
        key = catalogue.by_name[catalogue.key]
        if any(k.field is key for k in self.sort):
            return tuple(self.sort)
        return (*self.sort, SortKey(key, self.sort[0].descending))

    def _ensure_sort(self) -> tuple[SortKey, ...]:
        if not self.sort:
            for name, descending in self._catalogue().default_sort:
                self.order(name, descending=descending)
        return self.sort_keys()

    def after(self, token: object) -> ListQuery:
        """Continue after the row a cursor from :meth:`next_cursor` was made from (same list, same sort).

        Give the sort first; without one, the catalogue's default sort is used.
        """
        keys = self._ensure_sort()
        self.cursor = _decode_cursor(token, keys, _fingerprint(self._catalogue(), keys))
        return self

    def next_cursor(self, last_row: Mapping[str, Any]) -> str:
        """The cursor continuing after ``last_row`` (keyed by domain names), for this query's sort."""
        keys = self._ensure_sort()
        values = [_cursor_value(k.field, last_row[k.field.name]) for k in keys]
        payload = orjson.dumps([CURSOR_VERSION, _fingerprint(self._catalogue(), keys), values])
        return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def parse_op(op: object, field_name: str) -> Op:
    """An operator from its spelling: ``=``, ``!=`` (``<>``), ``<``, ``<=``, ``>``, ``>=``, ``in``,
    ``not in``, ``like``, ``not like``, ``between``, ``is null``, ``is not null`` (any case and spacing)."""
    if isinstance(op, Op):
        return op
    if isinstance(op, str) and len(op) <= 20:
        spelt = " ".join(op.lower().split())
        if spelt in _OPERATOR_SPELLINGS:
            return _OPERATOR_SPELLINGS[spelt]
        try:
            return Op(spelt)
        except ValueError:
            pass
    raise DomainValidation(ErrorCode.UNKNOWN_OPERATOR, field=field_name, operator=_shown(op, 20))


def like_literal(text: str) -> str:
    """``text`` as a LIKE pattern that matches exactly it (``%``, ``_`` and ``\\`` escaped)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def check_pattern(pattern: str, field_name: str) -> None:
    """Refuse a dangling escape or an escape of anything but ``%``, ``_`` and ``\\``."""
    escaped = False
    for char in pattern:
        if escaped:
            if char not in "%_\\":
                raise DomainValidation(ErrorCode.INVALID_PATTERN, field=field_name)
            escaped = False
        elif char == "\\":
            escaped = True
    if escaped:
        raise DomainValidation(ErrorCode.INVALID_PATTERN, field=field_name)


def coerce(f: Field, value: object) -> Any:
    """``value`` as field ``f`` holds it, or DomainValidation naming ``f`` (``None`` is refused)."""
    kind = f.type
    if value is None:
        raise DomainValidation(ErrorCode.REQUIRED, field=f.name)
    if kind in (FieldType.INTEGER, FieldType.INSTANT):
        low = INT64_MIN if f.minimum is None else f.minimum
        high = INT64_MAX if f.maximum is None else f.maximum
        return _number(f, lambda: parse_int(value, minimum=low, maximum=high), "an integer")
    if kind is FieldType.NUMBER:
        return _number(f, lambda: parse_number(value), "a number")
    if kind is FieldType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise DomainValidation(ErrorCode.WRONG_TYPE, field=f.name, expected="a boolean")
    if kind is FieldType.ENUM:
        return _choice(f, value)
    if kind in (FieldType.STRING, FieldType.TEXT, FieldType.ID):
        if not isinstance(value, str):
            raise DomainValidation(ErrorCode.WRONG_TYPE, field=f.name, expected="a text")
        _check_text(value, f.name, _text_limit(f))
        return value
    raise DomainValidation(ErrorCode.OPERATOR_NOT_ALLOWED, field=f.name, operator="=")


def _number(f: Field, parse: Any, expected: str) -> Any:
    try:
        return parse()
    except NumberOutOfRange:
        raise DomainValidation(ErrorCode.OUT_OF_RANGE, field=f.name) from None
    except NumberError:
        raise DomainValidation(ErrorCode.WRONG_TYPE, field=f.name, expected=expected) from None


def _choice(f: Field, value: object) -> Any:
    for choice in f.choices:
        if type(choice) is type(value) and choice == value:
            return choice
    if isinstance(value, str) and all(type(c) is int for c in f.choices):
        try:
            number = parse_int(value)
        except NumberError:
            number = None
        if number in f.choices:
            return number
    raise DomainValidation(ErrorCode.NOT_ONE_OF, field=f.name, choices=", ".join(map(str, f.choices)))


def _text_limit(f: Field) -> int:
    if f.type is FieldType.ID:
        return ID_COLUMN_LENGTH
    return f.max_length or TEXT_LENGTH


def _check_text(value: str, field_name: str, limit: int) -> None:
    if "\x00" in value:
        raise DomainValidation(ErrorCode.CONTAINS_NUL, field=field_name)
    if len(value) > limit:
        raise DomainValidation(ErrorCode.TOO_LONG, field=field_name)


def _values(f: Field, value: object) -> list[object]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (Sequence, set, frozenset)):
        raise DomainValidation(ErrorCode.WRONG_TYPE, field=f.name, expected="a list")
    return list(value)


def _condition_value(f: Field, op: Op, value: object) -> Any:
    if op in (Op.IS_NULL, Op.IS_NOT_NULL):
        return None
    if op in (Op.IN, Op.NOT_IN):
        items = _values(f, value)
        if len(items) > MAX_IN_VALUES:
            raise DomainValidation(ErrorCode.TOO_MANY_VALUES, field=f.name, maximum=MAX_IN_VALUES)
        return tuple(dict.fromkeys(coerce(f, item) for item in items))
    if op is Op.BETWEEN:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence) or len(value) != 2:
            raise DomainValidation(ErrorCode.BETWEEN_BOUNDS, field=f.name)
        return (coerce(f, value[0]), coerce(f, value[1]))
    if op in (Op.LIKE, Op.NOT_LIKE):
        if not isinstance(value, str):
            raise DomainValidation(ErrorCode.WRONG_TYPE, field=f.name, expected="a text")
        _check_text(value, f.name, 2 * _text_limit(f) + 2)  # room for escapes and wildcards
        check_pattern(value, f.name)
        return value
    return coerce(f, value)


def _shown(name: object, limit: int = 100) -> str:
    """A client's name as an error may quote it (bounded)."""
    text = name if isinstance(name, str) else repr(name)
    return text if len(text) <= limit else text[:limit] + "..."


def _fingerprint(catalogue: Catalogue, keys: Sequence[SortKey]) -> str:
    return _digest(catalogue.resource, tuple((k.field.name, k.descending) for k in keys))


@functools.lru_cache(maxsize=1024)
def _digest(resource: str, keys: tuple[tuple[str, bool], ...]) -> str:
    spec = resource + "|" + ",".join(f"{name}:{'d' if descending else 'a'}" for name, descending in keys)
    return hashlib.sha256(spec.encode()).hexdigest()[:12]


def _cursor_value(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if f.type is FieldType.BOOLEAN:
        return bool(value)
    return value


def _decode_cursor(token: object, keys: Sequence[SortKey], fingerprint: str) -> tuple[Any, ...]:
    def invalid() -> DomainValidation:
        return DomainValidation(ErrorCode.INVALID_CURSOR, field="cursor")

    if not isinstance(token, str) or not token or len(token) > MAX_CURSOR_CHARS:
        raise invalid()
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        decoded = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, RecursionError):
        raise invalid() from None
    if not (isinstance(decoded, list) and len(decoded) == 3 and decoded[0] == CURSOR_VERSION):
        raise invalid()
    _, seen_fingerprint, values = decoded
    if seen_fingerprint != fingerprint or not isinstance(values, list) or len(values) != len(keys):
        raise invalid()
    out: list[Any] = []
    for key, value in zip(keys, values, strict=True):
        if value is None:
            if not key.field.nullable:
                raise invalid()
            out.append(None)
            continue
        if isinstance(value, str) and key.field.type in _NUMERIC:  # we write numbers as numbers
            raise invalid()
        try:
            out.append(coerce(key.field, value))
        except DomainValidation:
            raise invalid() from None
    return tuple(out)
