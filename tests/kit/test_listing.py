"""The domain's list query (premises.kit.listing): validation against a catalogue, before any SQL.

What the compiled SQL returns is in tests/db/test_list_queries.py, on the engine under test.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from premises.db.sql import Select
from premises.errors import DomainValidation, ErrorCode
from premises.kit.fields import Catalogue, Field, FieldType, Op
from premises.kit.listing import (
    MAX_IN_VALUES,
    MAX_SEARCH_TERMS,
    MAX_SORT_KEYS,
    ListQuery,
    check_pattern,
    like_literal,
    parse_op,
)
from premises.work_order.fields import WORK_ORDERS

HOSTILE_NAMES = [
    "status; DROP TABLE work_orders",
    "status--",
    "t.status",
    "(SELECT 1)",
    "STATUS",
    "status ",
    "",
    "account_id",  # a real column, but not a declared field
    "deleted_at",
    "x" * 10_000,
    "ti\x00tle",
    "créé",
]


def query() -> ListQuery:
    return ListQuery.of(WORK_ORDERS)


def refused(code: ErrorCode, field: str | None, build: Any) -> DomainValidation:
    with pytest.raises(DomainValidation) as raised:
        build()
    assert (raised.value.code, raised.value.field) == (code, field)
    return raised.value


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_undeclared_and_hostile_field_names_are_unknown_everywhere(name: str) -> None:
    shown = name if len(name) <= 100 else name[:100] + "..."
    refused(ErrorCode.UNKNOWN_FIELD, shown, lambda: query().where(name, "=", "open"))
    refused(ErrorCode.UNKNOWN_FIELD, shown, lambda: query().order(name))


@given(st.text(max_size=80))
@example("title")
def test_only_declared_names_reach_a_condition(name: str) -> None:
    q = query()
    try:
        q.where(name, "is not null")
    except DomainValidation as error:
        assert error.code in (ErrorCode.UNKNOWN_FIELD, ErrorCode.OPERATOR_NOT_ALLOWED)
        return
    assert WORK_ORDERS.get(name) is q.conditions[0].field
    select = Select("work_orders", WORK_ORDERS.columns, "acc").apply(q)
    assert name in select.sql()


@pytest.mark.parametrize(
    ("name", "op"),
    [
        ("title", "<"),  # texts have no order on the wire (the engines collate differently)
        ("description", "="),  # long texts: LIKE only
        ("id", "like"),
        ("archived", "in"),
        ("archived", "is null"),  # not nullable
        ("additional_user_ids", "="),  # lists are not filterable
        ("form_items", "like"),
        ("location_id", ">="),
        ("status", "between"),
    ],
)
def test_an_operator_the_field_does_not_take_is_refused(name: str, op: str) -> None:
    error = refused(ErrorCode.OPERATOR_NOT_ALLOWED, name, lambda: query().where(name, op, "x"))
    assert error.params["operator"] == op


@pytest.mark.parametrize("op", ["~", "ilike", "= 1 OR 1=1", "", "is", "regexp", "x" * 100, 3, None])
def test_unknown_operators_are_refused(op: object) -> None:
    refused(ErrorCode.UNKNOWN_OPERATOR, "title", lambda: query().where("title", op, "x"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spelt", "op"),
    [("=", Op.EQ), ("==", Op.EQ), ("<>", Op.NE), ("!=", Op.NE), ("IN", Op.IN), ("Not  In", Op.NOT_IN),
     ("LIKE", Op.LIKE), ("not like", Op.NOT_LIKE), ("BETWEEN", Op.BETWEEN), ("is  NULL", Op.IS_NULL),
     ("is not null", Op.IS_NOT_NULL), (Op.GE, Op.GE)],
)  # fmt: skip
def test_operator_spellings(spelt: str, op: Op) -> None:
    assert parse_op(spelt, "f") is op


@pytest.mark.parametrize(
    ("name", "op", "value", "code"),
    [
        ("priority", "=", "high", ErrorCode.NOT_ONE_OF),
        ("priority", "=", 7, ErrorCode.NOT_ONE_OF),
        ("priority", "=", True, ErrorCode.NOT_ONE_OF),  # a boolean is not the integer 1
        ("status", "=", "OPEN", ErrorCode.NOT_ONE_OF),
        ("status", "in", "open", ErrorCode.WRONG_TYPE),  # IN takes a list
        ("status", "in", {"a": 1}, ErrorCode.WRONG_TYPE),
        ("created_at", "=", "yesterday", ErrorCode.WRONG_TYPE),
        ("created_at", "=", "²", ErrorCode.WRONG_TYPE),
        ("created_at", "=", "1e3", ErrorCode.WRONG_TYPE),
        ("created_at", "=", 1.5, ErrorCode.WRONG_TYPE),
        ("created_at", ">", str(2**63), ErrorCode.OUT_OF_RANGE),
        ("created_at", "=", "9" * 5000, ErrorCode.WRONG_TYPE),
        ("cost", ">", "NaN", ErrorCode.WRONG_TYPE),
        ("cost", ">", "1e999", ErrorCode.OUT_OF_RANGE),
        ("cost", ">", float("inf"), ErrorCode.OUT_OF_RANGE),
        ("archived", "=", "true", ErrorCode.WRONG_TYPE),
        ("archived", "=", 2, ErrorCode.WRONG_TYPE),
        ("title", "=", 5, ErrorCode.WRONG_TYPE),
        ("title", "=", "x" * 501, ErrorCode.TOO_LONG),
        ("title", "=", "a\x00b", ErrorCode.CONTAINS_NUL),
        ("title", "=", None, ErrorCode.REQUIRED),  # ask with IS NULL
        ("location_id", "=", "x" * 25, ErrorCode.TOO_LONG),
        ("location_id", "in", ["a", 1], ErrorCode.WRONG_TYPE),
        ("title", "like", "50\\", ErrorCode.INVALID_PATTERN),
        ("title", "like", "a\\b", ErrorCode.INVALID_PATTERN),
        ("title", "like", ["a"], ErrorCode.WRONG_TYPE),
        ("title", "like", "%" * 1003, ErrorCode.TOO_LONG),
        ("created_at", "between", [1], ErrorCode.BETWEEN_BOUNDS),
        ("created_at", "between", [1, 2, 3], ErrorCode.BETWEEN_BOUNDS),
        ("created_at", "between", "12", ErrorCode.BETWEEN_BOUNDS),
        ("created_at", "between", [1, None], ErrorCode.REQUIRED),
        ("status", "in", ["open"] * (MAX_IN_VALUES + 1), ErrorCode.TOO_MANY_VALUES),
    ],
)
def test_bad_values_are_refused_naming_the_field(name: str, op: str, value: object, code: ErrorCode) -> None:
    refused(code, name, lambda: query().where(name, op, value))


def test_values_are_coerced_by_the_field_type() -> None:
    q = (
        query()
        .where("priority", ">=", "2")
        .where("created_at", "between", ["10", 20])
        .where("cost", "<", "12.5")
        .where("archived", "=", 0)
        .where("status", "in", ["open", "complete", "open"])
        .where("location_id", "is null", "ignored")
    )
    assert [(c.field.name, c.op, c.value) for c in q.conditions] == [
        ("priority", Op.GE, 2),
        ("created_at", Op.BETWEEN, (10, 20)),
        ("cost", Op.LT, 12.5),
        ("archived", Op.EQ, False),
        ("status", Op.IN, ("open", "complete")),
        ("location_id", Op.IS_NULL, None),
    ]


def test_sort_keys_are_validated_and_end_with_the_id() -> None:
    refused(ErrorCode.NOT_SORTABLE, "form_items", lambda: query().order("form_items"))
    refused(ErrorCode.NOT_SORTABLE, "location_id", lambda: query().order("location_id"))
    q = query().order("priority", descending=True).order("due_date").order("priority")
    assert [(k.field.name, k.descending) for k in q.sort_keys()] == [
        ("priority", True),
        ("due_date", False),
        ("id", True),
    ]
    many = query()
    for name in ("priority", "due_date", "title", "cost", "created_at"):
        many.order(name)
    assert len(many.sort) == MAX_SORT_KEYS
    refused(ErrorCode.TOO_MANY_VALUES, "sort", lambda: many.order("updated_at"))


def test_search_is_validated_and_escaped() -> None:
    assert query().search_for("  ").search == ()
    assert query().search_for("50% off_ pump pump").search == ("%50\\%%", "%off\\_%", "%pump%")
    refused(ErrorCode.TOO_MANY_VALUES, "search", lambda: query().search_for(" ".join("abcdefghijk")))
    assert len(query().search_for(" ".join("abcdefghij")).search) == MAX_SEARCH_TERMS
    refused(ErrorCode.TOO_LONG, "search", lambda: query().search_for("x" * 201))
    refused(ErrorCode.CONTAINS_NUL, "search", lambda: query().search_for("a\x00"))
    refused(ErrorCode.WRONG_TYPE, "search", lambda: query().search_for(["pump"]))
    plain = Catalogue("thing", (Field("id", FieldType.ID, nullable=False), Field("created_at", FieldType.INSTANT)))
    refused(ErrorCode.NOT_SEARCHABLE, "search", lambda: ListQuery.of(plain).search_for("x"))


@given(st.text(max_size=60))
def test_a_literal_is_a_valid_pattern_that_matches_exactly_itself(text: str) -> None:
    pattern = like_literal(text)
    check_pattern(pattern, "title")
    assert re.fullmatch(_like_regex(pattern), text, re.DOTALL)
    if text:
        assert not re.fullmatch(_like_regex(pattern), text + "x", re.DOTALL)


@given(st.text(alphabet="ab%_\\", max_size=12))
def test_patterns_are_accepted_exactly_when_every_escape_is_complete(pattern: str) -> None:
    valid = re.fullmatch(r"(?:[^\\]|\\[%_\\])*", pattern) is not None
    try:
        check_pattern(pattern, "title")
    except DomainValidation as error:
        assert (error.code, valid) == (ErrorCode.INVALID_PATTERN, False)
    else:
        assert valid


def _like_regex(pattern: str) -> str:
    """What SQL's LIKE ... ESCAPE '\\' means, as a regular expression (the reference for the tests)."""
    out, escaped = [], False
    for char in pattern:
        if escaped:
            out.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
    return "".join(out)


def test_a_cursor_round_trips_for_its_sort_only() -> None:
    q = query().order("due_date").order("title", descending=True)
    row = {"due_date": None, "title": "Pump", "id": "wo01", "other": object()}
    cursor = q.next_cursor(row)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor)
    assert query().order("due_date").order("title", descending=True).after(cursor).cursor == (None, "Pump", "wo01")
    for other in (query().order("due_date"), query().order("due_date").order("title"), query()):
        refused(ErrorCode.INVALID_CURSOR, "cursor", lambda other=other: other.after(cursor))
    with pytest.raises(ValueError, match="sort before the cursor"):
        query().order("due_date").order("title", descending=True).after(cursor).order("cost")


def test_without_a_sort_a_cursor_uses_the_default_sort() -> None:
    q = query()
    cursor = q.next_cursor({"created_at": 5, "id": "wo01"})
    continued = query().after(cursor)
    assert [(k.field.name, k.descending) for k in continued.sort_keys()] == [("created_at", True), ("id", True)]
    assert continued.cursor == (5, "wo01")


def test_a_cursor_keeps_booleans_and_numbers_typed() -> None:
    q = query().order("archived").order("cost")
    cursor = q.next_cursor({"archived": 1, "cost": 2.5, "id": "x"})  # SQLite gives booleans as 0/1
    assert query().order("archived").order("cost").after(cursor).cursor == (True, 2.5, "x")


def test_a_cursor_over_any_text_round_trips_and_one_written_with_escapes_still_reads() -> None:
    """Cursors are written by orjson (UTF-8 inside the base64); those written before with ``\\u``
    escapes (``json.dumps``) still continue the list."""
    import json

    title = 'Chaudière "☃" \U0001f525 \\ \n'
    cursor = query().order("title").next_cursor({"title": title, "id": "wo01"})
    assert query().order("title").after(cursor).cursor == (title, "wo01")
    fingerprint = json.loads(_decode(cursor))[1]
    escaped = _encode(json.dumps([1, fingerprint, [title, "wo01"]]))
    assert escaped != cursor and query().order("title").after(escaped).cursor == (title, "wo01")


def _decode(token: str) -> str:
    import base64

    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()


def _encode(payload: str) -> str:
    import base64

    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "token",
    [
        "",
        "!!!",
        "a" * 3000,
        "e30",  # {}
        _encode("[1]"),
        _encode("null"),
        _encode("[" * 1500 + "]" * 1500),
        _encode('[2, "x", [1, "a"]]'),
        _encode("[1, 0, [1, 2]]"),
        12,
        None,
    ],
)
def test_malformed_cursors_are_invalid(token: object) -> None:
    refused(ErrorCode.INVALID_CURSOR, "cursor", lambda: query().after(token))


def test_a_tampered_cursor_value_is_invalid_when_it_is_not_of_the_fields_type() -> None:
    import base64
    import json

    good = query().next_cursor({"created_at": 5, "id": "wo01"})
    payload = json.loads(base64.urlsafe_b64decode(good + "=" * (-len(good) % 4)))
    for values in (["5", "wo01"], [None, "wo01"], [5, None], [5, "x" * 25], [5, 7], [True, "wo01"], [5]):
        payload[2] = values
        forged = _encode(json.dumps(payload))
        refused(ErrorCode.INVALID_CURSOR, "cursor", lambda forged=forged: query().after(forged))
    payload[2] = [6, "wo02"]  # well-formed: a position, which grants nothing
    assert query().after(_encode(json.dumps(payload))).cursor == (6, "wo02")


@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: _encode(b.decode("latin-1"))))
def test_any_text_as_a_cursor_is_a_position_or_invalid_cursor(token: str) -> None:
    try:
        query().after(token)
    except DomainValidation as error:
        assert (error.code, error.field) == (ErrorCode.INVALID_CURSOR, "cursor")


def test_the_simple_form_compiles_as_before() -> None:
    q = ListQuery({"status": "open", "location_id": None}, [("created_at", ">", 5)], "updated_at", False, 10, 50)
    select = Select("work_orders", ("id",), "acc").apply(q)
    assert select.sql() == (
        "SELECT t.id FROM work_orders t WHERE t.account_id = :account_id AND t.status = :p1 "
        "AND t.location_id IS NULL AND t.created_at > :p2 ORDER BY t.updated_at ASC, t.id ASC "
        "LIMIT :limit OFFSET :offset"
    )
    assert select.params == {"account_id": "acc", "p1": "open", "p2": 5, "limit": 50, "offset": 10}


def test_a_condition_of_another_catalogue_never_compiles() -> None:
    lookalike = Catalogue(
        "work_order",
        (Field("id", FieldType.ID, nullable=False), Field("created_at", FieldType.INSTANT, column="deleted_at")),
    )
    q = ListQuery.of(lookalike).where("created_at", ">", 1)
    q.catalogue = WORK_ORDERS
    with pytest.raises(ValueError, match="not a field of this query's catalogue"):
        Select("work_orders", ("id",), "acc").apply(q)


def test_values_never_reach_the_sql_text() -> None:
    hostile = "x' OR '1'='1"
    q = query().where("title", "=", hostile).where("title", "like", "%" + hostile).search_for(hostile)
    select = Select("work_orders", WORK_ORDERS.columns, "acc").apply(q)
    assert "'1'" not in select.sql() and hostile in select.params.values()


def test_declarations_refuse_bad_identifiers_and_capabilities() -> None:
    for bad in (
        lambda: Field("Title", FieldType.STRING),
        lambda: Field("title; --", FieldType.STRING),
        lambda: Field("title", FieldType.STRING, column="t.title"),
        lambda: Field("title", FieldType.STRING, column="title", expression="{a}.title"),
        lambda: Field("title", FieldType.STRING, expression="{a}.title = :x"),
        lambda: Field("items", FieldType.JSON, searchable=True),
        lambda: Field("items", FieldType.JSON, sortable=True),
        lambda: Field("kind", FieldType.ENUM),
        lambda: Catalogue("x", (Field("id", FieldType.ID),)),  # the key may not be null
        lambda: Catalogue("x", (Field("id", FieldType.ID, nullable=False), Field("id", FieldType.ID))),
        lambda: Catalogue("x", (Field("id", FieldType.ID, nullable=False),)),  # default sort on created_at
    ):
        with pytest.raises(ValueError):
            bad()
