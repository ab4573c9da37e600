"""``POST /oauth/token``: the OAuth 2.0 token endpoint, client credentials grant only (RFC 6749 §4.4).

Mounted on the root app (outside ``/v1``, where Onsite's clients find it). The body is a form
(``application/x-www-form-urlencoded``, what the documented ``curl -d`` sends) or, as an extension,
a JSON object with the same fields; parameters without a value count as omitted, a repeated one is
``invalid_request``, unknown ones (``audience``, ``resource``) are ignored (§3.2). The client
authenticates by HTTP Basic (the id and secret form-decoded first, then as sent: clients differ) or
by ``client_id`` + ``client_secret`` in the body, never both (§2.3.1, §5.2). Every answer carries
``Cache-Control: no-store`` and ``Pragma: no-cache`` (§5.1). Errors are ``{"error",
"error_description"}`` (§5.2): ``invalid_client`` is 401 (with ``WWW-Authenticate: Basic`` when
Basic was used), ``too_many_requests`` 429 with ``Retry-After`` (failed client authentications are
throttled per client id and per address), any other method 405 with ``Allow: POST``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

import orjson
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from premises.api.limits import BodyTooLarge, MultipartRefused
from premises.api.runtime import Runtime
from premises.errors import TEMPLATES as DOMAIN_TEMPLATES
from premises.errors import ErrorCode, PremisesError, RateLimited, Unauthenticated, render
from premises.identity.tokens import ClientLimits, IssuedToken, issue_access_token

PATH = "/oauth/token"
GRANT = "client_credentials"
FORM = "application/x-www-form-urlencoded"  # what RFC 6749 §4.4.2 sends (JSON is accepted too)
REALM = "premises"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
OAUTH_ERRORS: dict[ErrorCode, tuple[int, str]] = {
    ErrorCode.INVALID_CLIENT: (401, "invalid_client"),
    ErrorCode.UNAUTHORIZED_CLIENT: (400, "unauthorized_client"),
    ErrorCode.UNSUPPORTED_GRANT_TYPE: (400, "unsupported_grant_type"),
    ErrorCode.INVALID_SCOPE: (400, "invalid_scope"),
    ErrorCode.CLIENT_THROTTLED: (429, "too_many_requests"),
}


class OAuthError(Exception):
    def __init__(self, code: ErrorCode, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _ascii(text: str) -> str:
    """RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E (no quote, no backslash)."""
    return "".join(c if 0x20 <= ord(c) <= 0x7E and c not in '"\\' else "?" for c in text)


def _answer(status: int, body: dict[str, Any], **headers: str) -> Response:
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers={**NO_STORE, **headers}
    )


def error_response(code: ErrorCode, params: dict[str, object], *, basic: bool) -> Response:
    status, name = OAUTH_ERRORS.get(code, (400, "invalid_request"))
    description = _ascii(render(DOMAIN_TEMPLATES.get(code, "{field} is not valid"), _field(params), params))
    headers: dict[str, str] = {}
    if status == 401 and basic:
        headers["WWW-Authenticate"] = f'Basic realm="{REALM}"'
    if status == 429:
        headers["Retry-After"] = str(params.get("retry_after") or 1)
    return _answer(status, {"error": name, "error_description": description}, **headers)


def _field(params: dict[str, object]) -> str | None:
    value = params.get("field")
    return value if isinstance(value, str) else None


def _pairs(content_type: str, raw: bytes) -> list[tuple[str, str]]:
    if content_type == "application/x-www-form-urlencoded":
        try:
            return parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
        except (UnicodeDecodeError, ValueError):
            raise OAuthError(ErrorCode.BODY_NOT_UTF8) from None
    if content_type == "application/json":
        try:
            parsed = orjson.loads(raw) if raw.strip() else {}
        except orjson.JSONDecodeError:
            raise OAuthError(ErrorCode.BODY_NOT_JSON) from None
        if not isinstance(parsed, dict):
            raise OAuthError(ErrorCode.BODY_NOT_OBJECT)
        pairs: list[tuple[str, str]] = []
        for key, value in parsed.items():
            if isinstance(value, list):
                raise OAuthError(ErrorCode.REPEATED_PARAMETER, field=key[:100])
            if value is not None and not isinstance(value, str | int | float):
                raise OAuthError(ErrorCode.WRONG_TYPE, field=key[:100], expected="a string")
            pairs.append((key, "" if value is None else str(value)))
        return pairs
    raise OAuthError(ErrorCode.WRONG_TYPE, field="Content-Type", expected=FORM)


def parameters(content_type: str, raw: bytes) -> dict[str, str]:
    """The request's parameters: empty ones dropped (§3.1), a repeated one refused."""
    out: dict[str, str] = {}
    for key, value in _pairs(content_type, raw):
        if "\x00" in key or "\x00" in value:
            raise OAuthError(ErrorCode.BODY_CONTAINS_NUL)
        if value == "":
            continue
        if key in out:
            raise OAuthError(ErrorCode.REPEATED_PARAMETER, field=key[:100])
        out[key] = value
    return out


def basic_credentials(header: str) -> list[tuple[str, str]] | None:
    """HTTP Basic's client id and secret, form-decoded first then as sent (one pair when they agree);
    None without a Basic header; INVALID_CLIENT when it is malformed."""
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise OAuthError(ErrorCode.INVALID_CLIENT) from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise OAuthError(ErrorCode.INVALID_CLIENT)
    candidates = [(unquote_plus(client_id), unquote_plus(secret)), (client_id, secret)]
    return list(dict.fromkeys(candidates))


async def _body(request: Request) -> bytes:
    """The body, within the server's limits (``api.limits``), whose refusals speak OAuth here: a
    multipart body is a wrong content type (400 ``invalid_request``, as any other), a body over the
    limit a 413 with OAuth's error members."""
    try:
        return await request.body()
    except MultipartRefused:
        raise OAuthError(ErrorCode.WRONG_TYPE, field="Content-Type", expected=FORM) from None
    except BodyTooLarge as too_large:
        raise TokenRequestTooLarge(str(too_large.detail)) from None


class TokenRequestTooLarge(Exception):
    """The token request's body is over the server's limit."""


async def token(request: Request) -> Response:
    header = request.headers.get("authorization", "")
    basic = header.strip().lower().startswith("basic")
    if request.method != "POST":
        return _answer(405, {"error": "invalid_request", "error_description": "use POST"}, Allow="POST")
    runtime: Runtime = request.app.state.runtime
    try:
        if "client_secret" in request.query_params:
            raise OAuthError(ErrorCode.UNKNOWN_PARAMETER, field="client_secret")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        params = parameters(content_type, await _body(request))
        from_basic = basic_credentials(header)
        if from_basic is not None and "client_secret" in params:
            raise OAuthError(ErrorCode.TWO_CLIENT_AUTHENTICATIONS)
        grant = params.get("grant_type")
        if grant is None:
            raise OAuthError(ErrorCode.REQUIRED, field="grant_type")
        if grant != GRANT:
            raise OAuthError(ErrorCode.UNSUPPORTED_GRANT_TYPE, field="grant_type", value=grant[:100])
        if from_basic is None:
            if "client_id" not in params or "client_secret" not in params:
                raise OAuthError(ErrorCode.INVALID_CLIENT)
            from_basic = [(params["client_id"], params["client_secret"])]
        scope = params.get("scope")
        issued = await _issue(request, runtime, from_basic, scope.split() if scope else None)
    except OAuthError as refused:
        return error_response(refused.code, dict(refused.params), basic=basic)
    except TokenRequestTooLarge as too_large:
        return _answer(
            413, {"error": "invalid_request", "error_description": _ascii(str(too_large))}, Connection="close"
        )
    except PremisesError as refused:
        return error_response(refused.code, {"field": refused.field, **refused.params}, basic=basic)
    body = {"access_token": issued.access_token, "token_type": "Bearer", "expires_in": issued.expires_in}
    return _answer(200, {**body, "scope": " ".join(issued.scopes)})


async def _issue(
    request: Request, runtime: Runtime, candidates: list[tuple[str, str]], scopes: list[str] | None
) -> IssuedToken:
    settings = runtime.settings
    limits = ClientLimits(
        settings.login_failures_per_email, settings.login_failures_per_address, settings.login_window_seconds
    )
    address = request.client.host if request.client else None  # the socket peer, as for logins
    for index, (client_id, secret) in enumerate(candidates):
        try:
            return await issue_access_token(
                runtime.write,
                client_id=client_id,
                client_secret=secret,
                requested=scopes,
                address=address,
                limits=limits,
            )
        except Unauthenticated:
            if index == len(candidates) - 1:
                raise
        except RateLimited:
            raise
    raise OAuthError(ErrorCode.INVALID_CLIENT)


def install(app: FastAPI) -> None:
    """Add ``/oauth/token`` to the root app (any method: all but POST answer 405 in OAuth's format)."""
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    app.add_api_route(PATH, token, methods=methods, include_in_schema=False)
