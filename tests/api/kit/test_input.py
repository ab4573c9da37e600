"""The kit's input errors: a code and the client's (wire) field name; UpKeep words them exactly as before.

Each case runs the real kit (body reading, Spec.parse, coercers, list parsing) on a real Starlette
request, checks the code and the untranslated wire name, and the message UpKeep renders, byte for
byte the sentence the kit used to build itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from starlette.requests import Request

import premises.api.app  # noqa: F401  (imports every mapper, so the UpKeep field names are all declared)
from premises.api.kit.body import COERCERS, Field, Spec, read_body, specs_of
from premises.api.kit.errors import WireInputError
from premises.api.kit.guards import reject_nul
from premises.api.kit.listing import Filter, check_keys
from premises.api.upkeep.listing import ListSpec, parse_includes, parse_list
from premises.api.upkeep.messages import message_for, wire_name
from premises.errors import TEMPLATES, DomainValidation, ErrorCode
from premises.kit.ids import ID_COLUMN_LENGTH

LONG_ID = "x" * (ID_COLUMN_LENGTH + 1)


def _request(query: bytes = b"", body: bytes = b"", content_type: str = "application/json") -> Request:
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/x",
        "query_string": query,
        "headers": [(b"content-type", content_type.encode())],
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(scope, receive)


def _body(raw: bytes, content_type: str = "application/json") -> Callable[[], object]:
    return lambda: asyncio.run(read_body(_request(body=raw, content_type=content_type)))


# A Spec declared here has wire names different from its domain names: the messages must keep the wire ones.
SPEC = Spec(
    Field("title", required=True, to="kit_test_name", max_length=5),
    Field("priority", "integer", to="kit_test_priority", choices=(0, 1, 2)),
    Field("locked", to="kit_test_locked", patchable=False),
    Field("assetIds", "id_list", to="kit_test_asset_ids"),
)
LIST = ListSpec(filters=(Filter("status", "status", choices=("open", "done")),), includes=("location",))


def _list(query: bytes) -> Callable[[], object]:
    return lambda: parse_list(_request(query), LIST)


def _coerce(kind: str, value: object) -> Callable[[], object]:
    return lambda: COERCERS[kind]("someField", value)


CASES: list[tuple[str, Callable[[], object], ErrorCode, str | None, str]] = [
    ("not an object", _body(b"[1]"), ErrorCode.BODY_NOT_OBJECT, None, "request body must be a JSON object"),
    ("not JSON", _body(b"{x"), ErrorCode.BODY_NOT_JSON, None, "request body is not valid JSON"),
    (
        "not UTF-8",
        _body(b"a=\xff", "application/x-www-form-urlencoded"),
        ErrorCode.BODY_NOT_UTF8,
        None,
        "request body is not valid UTF-8",
    ),
    (
        "NUL in a value",
        _body(b'{"title": "a\\u0000"}'),
        ErrorCode.CONTAINS_NUL,
        "title",
        "title must not contain NUL characters",
    ),
    (
        "NUL in a key",
        _body(b'{"a\\u0000": 1}'),
        ErrorCode.BODY_CONTAINS_NUL,
        None,
        "request body must not contain NUL characters",
    ),
    (
        "NUL deep down",
        _body(b'{"assetIds": [{"k": "\\u0000"}]}'),
        ErrorCode.CONTAINS_NUL,
        "assetIds",
        "assetIds must not contain NUL characters",
    ),
    ("required", lambda: SPEC.parse({}), ErrorCode.REQUIRED, "title", "title cannot be null"),
    ("required, null", lambda: SPEC.parse({"title": None}), ErrorCode.REQUIRED, "title", "title cannot be null"),
    (
        "unknown field",
        lambda: SPEC.parse({"title": "a", "nope": 1}),
        ErrorCode.UNKNOWN_FIELD,
        "nope",
        "nope not in schema",
    ),
    ("unknown empty key", lambda: SPEC.parse({"title": "a", "": 1}), ErrorCode.UNKNOWN_FIELD, "", " not in schema"),
    (
        "read only",
        lambda: SPEC.parse({"locked": "x"}, partial=True),
        ErrorCode.READ_ONLY,
        "locked",
        "locked is not allowed to be set!",
    ),
    (
        "not one of",
        lambda: SPEC.parse({"title": "a", "priority": 7}),
        ErrorCode.NOT_ONE_OF,
        "priority",
        "priority must be one of 0, 1, 2",
    ),
    ("too long", lambda: SPEC.parse({"title": "abcdef"}), ErrorCode.TOO_LONG, "title", "title is too long"),
    (
        "over-long id",
        lambda: SPEC.parse({"title": "a", "assetIds": [LONG_ID]}),
        ErrorCode.NOT_FOUND,
        "assetIds",
        f"assetIds {LONG_ID} not found",
    ),
    ("string", _coerce("string", {}), ErrorCode.WRONG_TYPE, "someField", "someField must be a string"),
    (
        "string with NUL",
        _coerce("string", "\x00"),
        ErrorCode.CONTAINS_NUL,
        "someField",
        "someField must not contain NUL characters",
    ),
    ("integer", _coerce("integer", "1.5"), ErrorCode.WRONG_TYPE, "someField", "someField must be an integer"),
    ("integer range", _coerce("integer", "9" * 20), ErrorCode.OUT_OF_RANGE, "someField", "someField is out of range"),
    ("number", _coerce("number", "x"), ErrorCode.WRONG_TYPE, "someField", "someField must be a number"),
    (
        "finite number",
        _coerce("number", "1e400"),
        ErrorCode.WRONG_TYPE,
        "someField",
        "someField must be a finite number",
    ),
    ("boolean", _coerce("boolean", "yes"), ErrorCode.WRONG_TYPE, "someField", "someField must be a boolean"),
    (
        "instant",
        _coerce("instant", "soon"),
        ErrorCode.WRONG_TYPE,
        "someField",
        "someField must be a date (epoch milliseconds or ISO 8601)",
    ),
    ("instant range", _coerce("instant", 10**17), ErrorCode.OUT_OF_RANGE, "someField", "someField is out of range"),
    ("array", _coerce("id_list", 5), ErrorCode.WRONG_TYPE, "someField", "someField must be an array"),
    ("array text", _coerce("id_list", "[1,"), ErrorCode.WRONG_TYPE, "someField", "someField must be an array"),
    ("ids", _coerce("id_list", [1]), ErrorCode.WRONG_TYPE, "someField", "someField must be an array of IDs"),
    (
        "objects",
        _coerce("object_list", [1]),
        ErrorCode.WRONG_TYPE,
        "someField",
        "someField must be an array of objects",
    ),
    ("object", _coerce("object", 1), ErrorCode.WRONG_TYPE, "someField", "someField must be an object"),
    (
        "NUL in a query",
        lambda: asyncio.run(reject_nul(_request(b"name=a%00"))),
        ErrorCode.QUERY_CONTAINS_NUL,
        None,
        "query parameters must not contain NUL characters",
    ),
    ("unknown filter", _list(b"colour=red"), ErrorCode.UNKNOWN_PARAMETER, "colour", "invalid filter key: colour"),
    (
        "unknown parameter",
        lambda: check_keys(_request(b"x=1"), frozenset()),
        ErrorCode.UNKNOWN_PARAMETER,
        "x",
        "invalid filter key: x",
    ),
    ("filter choice", _list(b"status=lost"), ErrorCode.NOT_ONE_OF, "status", "status must be one of open, done"),
    ("offset", _list(b"offset=-1"), ErrorCode.WRONG_TYPE, "offset", "offset must be a non-negative integer"),
    ("limit", _list(b"limit=x"), ErrorCode.WRONG_TYPE, "limit", "limit must be an integer between 1 and 5000"),
    ("limit zero", _list(b"limit=0"), ErrorCode.NOT_BETWEEN, "limit", "limit must be between 1 and 5000"),
    (
        "limit past 64 bits",
        _list(b"limit=9223372036854775808"),
        ErrorCode.NOT_BETWEEN,
        "limit",
        "limit must be between 1 and 5000",
    ),
    (
        "range",
        _list(b"createdAtGreaterThan=x"),
        ErrorCode.WRONG_TYPE,
        "createdAtGreaterThan",
        "createdAtGreaterThan must be a date (epoch milliseconds or ISO 8601)",
    ),
    (
        "order field",
        _list(b"orderBy=title"),
        ErrorCode.INVALID_SORT,
        "orderBy",
        "orderBy must be 'field ASC|DESC' with field one of createdAt, updatedAt",
    ),
    (
        "order direction",
        _list(b"orderBy=createdAt+UP"),
        ErrorCode.INVALID_SORT_DIRECTION,
        "orderBy",
        "orderBy direction must be ASC or DESC",
    ),
    (
        "includes",
        _list(b"includes=location,owner"),
        ErrorCode.INVALID_INCLUDE,
        "includes",
        "invalid includes value: owner",
    ),
    (
        "includes of a detail",
        lambda: parse_includes(["x"], ()),
        ErrorCode.INVALID_INCLUDE,
        "includes",
        "invalid includes value: x",
    ),
]


@pytest.mark.parametrize(("call", "code", "field", "upkeep"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_kit_errors_carry_a_code_the_wire_name_and_render_upkeeps_words(
    call: Callable[[], object], code: ErrorCode, field: str | None, upkeep: str
) -> None:
    with pytest.raises(WireInputError) as raised:
        call()
    assert raised.value.code is code
    assert raised.value.sentence is None
    assert raised.value.field == field
    assert message_for(raised.value) == upkeep


def test_every_wire_input_code_has_a_domain_template() -> None:
    assert all(case[2] in TEMPLATES for case in CASES)


def test_wire_names_are_not_translated_but_domain_names_are() -> None:
    # "location" is the UpKeep name of the domain field location_id; a kit error already carries the wire name.
    assert message_for(WireInputError(ErrorCode.REQUIRED, field="location_id")) == "location_id cannot be null"
    assert message_for(DomainValidation(ErrorCode.REQUIRED, field="location_id")) == "location cannot be null"


def test_the_list_parser_produces_the_domains_list_query() -> None:
    parsed = parse_list(
        _request(
            b"status=open&createdAtGreaterThanOrEqualTo=5&orderBy=updatedAt+ASC&offset=2&limit=99999&includes[]=location"
        ),
        LIST,
    )
    query = parsed.query
    assert query.equals == {"status": "open"}
    assert query.ranges == [("created_at", ">=", 5)]
    assert (query.order_column, query.descending, query.offset, query.limit) == ("updated_at", False, 2, 5000)
    assert parsed.includes == {"location"}


def test_list_ranges_read_instants_as_bodies_do() -> None:
    # One parser (body.as_instant): epoch ms, ISO 8601, a date alone at midnight UTC.
    query = parse_list(
        _request(b"createdAtGreaterThan=2026-12-01&createdAtLessThan=2026-12-01T10:00:00%2B02:00&updatedAtLessThan=7"),
        LIST,
    ).query
    assert query.ranges == [
        ("created_at", ">", 1796083200000),
        ("created_at", "<", 1796112000000),
        ("updated_at", "<", 7),
    ]


def test_a_dialect_takes_field_names_only_from_its_own_specs() -> None:
    # SPEC is declared here, outside UpKeep's package: its names never become UpKeep's.
    assert SPEC.declared_in == __name__
    upkeep_specs = specs_of("premises.api.upkeep")
    assert upkeep_specs and SPEC not in upkeep_specs
    assert all(spec.declared_in.startswith("premises.api.upkeep.") for spec in upkeep_specs)
    assert wire_name("kit_test_priority") == "kit_test_priority"
    required = DomainValidation(ErrorCode.REQUIRED, field="kit_test_priority")
    assert message_for(required) == "kit_test_priority cannot be null"
