"""Request bodies: JSON or form-encoded, validated against a field spec.

Every refusal is a ``WireInputError`` with a code and the client's field name: ``REQUIRED`` (a
required field missing or null), ``UNKNOWN_FIELD``, ``READ_ONLY`` (a field that a partial update
may not change), ``WRONG_TYPE`` (``expected`` says what, in English), ``NOT_ONE_OF``, ``TOO_LONG``,
``OUT_OF_RANGE``, ``CONTAINS_NUL``, ``NOT_FOUND`` (an over-long id). Each dialect words them in
its own messages.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request

from premises.api.kit.errors import WireInputError
from premises.errors import ErrorCode
from premises.kit.ids import ID_COLUMN_LENGTH
from premises.kit.numbers import NumberError, NumberOutOfRange, parse_int, parse_number
from premises.kit.time import MAX_MS, MIN_MS, parse_instant


async def read_body(request: Request) -> dict[str, Any]:
    """The body as a dict, whatever the client sent (JSON, urlencoded, or nothing)."""
    parsed = await read_any_body(request)
    if parsed is None:
        return {}
    if not isinstance(parsed, dict):
        raise WireInputError(ErrorCode.BODY_NOT_OBJECT)
    return parsed


async def read_any_body(request: Request) -> Any:
    """The body as a dict, or as whatever JSON value the client sent (a list, for batch endpoints);
    None when there is no body.

    No string in it, key or value, contains NUL: PostgreSQL text cannot hold one, so it is refused
    here on every engine alike.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    parsed: Any
    # At most PREMISES_MAX_JSON_BYTES arrive here; multipart is refused before any of it is read
    # (premises.api.limits): only routes that take files accept it, and they parse it themselves.
    raw = await request.body()
    if not raw.strip():
        return None
    if content_type == "application/x-www-form-urlencoded":
        parsed = parse_form(raw)
    else:
        try:
            parsed = orjson.loads(raw)
        except orjson.JSONDecodeError:
            if content_type not in ("", "text/plain"):
                raise WireInputError(ErrorCode.BODY_NOT_JSON) from None
            parsed = parse_form(raw)
    _reject_nul(parsed)
    return parsed


def _reject_nul(value: Any, name: str | None = None) -> None:
    """Refuse NUL in any string; the error names the top-level field that holds it (None: the body)."""
    if isinstance(value, str):
        if "\x00" in value:
            if name is None:
                raise WireInputError(ErrorCode.BODY_CONTAINS_NUL)
            raise WireInputError(ErrorCode.CONTAINS_NUL, field=name)
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_nul(key)
            _reject_nul(item, key if name is None else name)
    elif isinstance(value, list):
        for item in value:
            _reject_nul(item, name)


def parse_form(raw: bytes) -> dict[str, Any]:
    try:
        pairs = parse_qsl(raw.decode(), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise WireInputError(ErrorCode.BODY_NOT_UTF8) from None
    out: dict[str, Any] = {}
    for key, value in pairs:
        _put(out, key, value)
    return out


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if key.endswith("[]"):
        out.setdefault(key[:-2], []).append(value)
    elif key in out:
        existing = out[key]
        out[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
    else:
        out[key] = value


# ---------------------------------------------------------------------------------------------
# Coercion of one value to the kind a field declares. Form bodies deliver strings only.


def _wrong_type(name: str, expected: str) -> WireInputError:
    return WireInputError(ErrorCode.WRONG_TYPE, field=name, expected=expected)


def _as_str(name: str, value: Any) -> str:
    if isinstance(value, str):
        if "\x00" in value:  # PostgreSQL text cannot hold NUL; reject it on every engine alike
            raise WireInputError(ErrorCode.CONTAINS_NUL, field=name)
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _wrong_type(name, "a string")


def _as_int(name: str, value: Any) -> int:
    """Any integer a 64-bit column holds (``kit.numbers.parse_int``); a field narrows it with choices
    or the service's own bounds."""
    try:
        return parse_int(value)
    except NumberOutOfRange:
        raise WireInputError(ErrorCode.OUT_OF_RANGE, field=name) from None
    except NumberError:
        raise _wrong_type(name, "an integer") from None


def _as_number(name: str, value: Any) -> float:
    try:
        return parse_number(value)
    except NumberOutOfRange:
        raise _wrong_type(name, "a finite number") from None
    except NumberError:
        raise _wrong_type(name, "a number") from None


def _as_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise _wrong_type(name, "a boolean")


def as_instant(name: str, value: Any) -> int:
    """Epoch milliseconds (a number or a digit string) or ISO 8601 (``kit.time.parse_instant``; a date
    alone is midnight UTC, a time without an offset is UTC), in years 1 to 9999: the one reading of
    an instant, for body fields and list range filters alike."""
    try:
        ms = parse_instant(value)
    except ValueError:
        raise _wrong_type(name, "a date (epoch milliseconds or ISO 8601)") from None
    if not MIN_MS <= ms <= MAX_MS:  # years 1..9999
        raise WireInputError(ErrorCode.OUT_OF_RANGE, field=name)
    return ms


def _as_list(name: str, value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = orjson.loads(text)
            except orjson.JSONDecodeError:
                raise _wrong_type(name, "an array") from None
            if isinstance(parsed, list):
                return parsed
        return [v for v in (p.strip() for p in text.split(",")) if v] if text else []
    raise _wrong_type(name, "an array")


def _as_id_list(name: str, value: Any) -> list[str]:
    items = _as_list(name, value)
    if not all(isinstance(i, str) and i for i in items):
        raise _wrong_type(name, "an array of IDs")
    return list(dict.fromkeys(items))


def _as_object_list(name: str, value: Any) -> list[dict[str, Any]]:
    items = _as_list(name, value)
    if not all(isinstance(i, dict) for i in items):
        raise _wrong_type(name, "an array of objects")
    return items


def _as_object(name: str, value: Any) -> dict[str, Any]:
    if isinstance(value, str) and value.strip().startswith("{"):
        with contextlib.suppress(orjson.JSONDecodeError):
            value = orjson.loads(value)
    if not isinstance(value, dict):
        raise _wrong_type(name, "an object")
    return value


COERCERS: dict[str, Callable[[str, Any], Any]] = {
    "string": _as_str,
    "id": _as_str,
    "integer": _as_int,
    "number": _as_number,
    "boolean": _as_bool,
    "instant": as_instant,
    "id_list": _as_id_list,
    "object_list": _as_object_list,
    "object": _as_object,
    "any": lambda _name, value: value,
}

JSON_SCHEMA: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},  # every field adds its maxLength (see bounded)
    "id": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "instant": {"oneOf": [{"type": "integer"}, {"type": "string", "format": "date-time"}]},
    "id_list": {"type": "array", "items": {"type": "string"}},
    "object_list": {"type": "array", "items": {"type": "object"}},
    "object": {"type": "object"},
    "any": {},
}


@dataclass(frozen=True, slots=True)
class Field:
    """One wire field. ``to`` is the domain name (defaults to the wire name)."""

    name: str
    kind: str = "string"
    to: str | None = None
    required: bool = False
    patchable: bool = True
    nullable: bool = True
    choices: Sequence[Any] | None = None
    max_length: int | None = None

    @property
    def target(self) -> str:
        return self.to or self.name


FORM = "application/x-www-form-urlencoded"
# Kinds a form field carries as a JSON text (``{...}``, ``[{...}]``): see ``_as_object``, ``_as_object_list``.
JSON_IN_FORM = ("object", "object_list")

# The longest text a string field takes when neither the field nor a String(n) column says less
# (a Text column, or no column of its own); the JSON schema publishes every field's limit.
DEFAULT_STRING_MAX = 5000
ID_KINDS = ("id", "id_list")


def _shown(value: str) -> str:
    """An id as an error message quotes it: an over-long one cut short."""
    return value if len(value) <= 2 * ID_COLUMN_LENGTH else value[: 2 * ID_COLUMN_LENGTH] + "..."


def bounded(field: Field, model: Any = None) -> Field:
    """The field with the length limit the database can hold.

    Ids (and each id of an id list) are at most ``ID_COLUMN_LENGTH``. A string field stored in a
    ``String(n)`` column of ``model`` (the column named by the field's target) takes at most ``n``
    characters; a field may ask for less, never for more (a ValueError at import). Other string
    fields without choices default to ``DEFAULT_STRING_MAX``.
    """
    if field.kind in ID_KINDS:
        if field.max_length is not None and field.max_length != ID_COLUMN_LENGTH:
            raise ValueError(f"{field.name}: an id field is {ID_COLUMN_LENGTH} characters at most")
        return replace(field, max_length=ID_COLUMN_LENGTH)
    if field.kind != "string":
        return field
    column = model.__table__.columns.get(field.target) if model is not None else None
    length = getattr(column.type, "length", None) if column is not None else None
    if length is not None and field.max_length is not None and field.max_length > length:
        raise ValueError(f"{field.name}: max_length {field.max_length} exceeds its column's {length}")
    if field.max_length is not None:
        return field
    if length is not None:
        return replace(field, max_length=length)
    if field.choices is not None:
        return field
    return replace(field, max_length=DEFAULT_STRING_MAX)


def check_length(field: Field, value: Any, name: str | None = None) -> None:
    """An over-long string is "too long"; an over-long id names no record ("x not found").
    ``name`` is the field's name in messages (default: its wire name)."""
    if field.max_length is None:
        return
    name = name or field.name
    if field.kind in ID_KINDS:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and len(item) > field.max_length:
                raise WireInputError(ErrorCode.NOT_FOUND, field=name, id=_shown(item))
    elif isinstance(value, str) and len(value) > field.max_length:
        raise WireInputError(ErrorCode.TOO_LONG, field=name)


def not_one_of(name: str, choices: Sequence[Any]) -> WireInputError:
    return WireInputError(ErrorCode.NOT_ONE_OF, field=name, choices=", ".join(str(c) for c in choices))


# Every Spec ever built. A dialect derives its domain -> wire field names from its own, those whose
# ``declared_in`` (the module that built the Spec) is in its package (``specs_of``).
SPECS: list[Spec] = []


def specs_of(package: str) -> list[Spec]:
    """The Specs built by modules of ``package`` (e.g. ``premises.api.upkeep``), in declaration order."""
    return [spec for spec in SPECS if spec.declared_in == package or spec.declared_in.startswith(package + ".")]


class Spec:
    """The fields a create or update body may carry.

    ``model`` is the table the fields are stored in (when they are): its ``String(n)`` columns bound
    the fields of the same (target) name, see :func:`bounded`.
    """

    def __init__(self, *fields: Field, ignore: Sequence[str] = (), model: Any = None) -> None:
        self.fields = {f.name: bounded(f, model) for f in fields}
        self.ignore = frozenset(ignore)  # accepted and dropped (e.g. sessionToken in a logout body)
        self.declared_in: str = sys._getframe(1).f_globals.get("__name__", "")  # the module building it
        SPECS.append(self)

    def parse(self, body: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
        """Validate and convert a body; return ``{domain_name: value}`` for the fields present."""
        out: dict[str, Any] = {}
        for key in body:
            if key in self.ignore:
                continue
            spec = self.fields.get(key)
            if spec is None:
                raise WireInputError(ErrorCode.UNKNOWN_FIELD, field=key)
            if partial and not spec.patchable:
                raise WireInputError(ErrorCode.READ_ONLY, field=key)
        for spec in self.fields.values():
            present = spec.name in body
            value = body.get(spec.name)
            if not partial and spec.required and (not present or value is None or value == ""):
                raise WireInputError(ErrorCode.REQUIRED, field=spec.name)
            if not present:
                continue
            if value is None or (value == "" and spec.kind not in ("string",)):
                if spec.required or not spec.nullable:
                    raise WireInputError(ErrorCode.REQUIRED, field=spec.name)
                out[spec.target] = None
                continue
            converted = COERCERS[spec.kind](spec.name, value)
            if spec.choices is not None and converted not in spec.choices:
                raise not_one_of(spec.name, spec.choices)
            check_length(spec, converted)
            out[spec.target] = converted
        return out

    def json_schema(self, *, partial: bool = False) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        for f in self.fields.values():
            if partial and not f.patchable:
                continue
            schema = dict(JSON_SCHEMA[f.kind])
            if f.choices is not None:
                schema = {"enum": list(f.choices)}
            if f.kind == "id_list":
                schema["items"] = {"type": "string", "maxLength": f.max_length}
            elif f.max_length is not None and f.choices is None:
                schema["maxLength"] = f.max_length
            if f.nullable and not f.required:
                schema = {"anyOf": [schema, {"type": "null"}]}
            properties[f.name] = schema
        required = [] if partial else [f.name for f in self.fields.values() if f.required]
        return {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }

    def openapi(self, *, partial: bool = False) -> dict[str, Any]:
        """``openapi_extra`` for a route that reads this body with ``read_body``: what it accepts, JSON
        or a form (``application/x-www-form-urlencoded``: repeated keys or ``key[]`` make an array, an
        empty value is null; a field holding objects takes them as a JSON text, which the form's
        ``encoding`` says)."""
        schema = self.json_schema(partial=partial)
        as_json = {
            name: {"contentType": "application/json"} for name, f in self.fields.items() if f.kind in JSON_IN_FORM
        }
        form: dict[str, Any] = {"schema": schema, **({"encoding": as_json} if as_json else {})}
        return {
            "requestBody": {
                "required": not partial,
                "content": {"application/json": {"schema": schema}, FORM: form},
            }
        }
