"""POST /auth (log in, JSON or form body) and DELETE /auth (log out)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Field, Spec, read_body
from premises.api.upkeep.mappers.common import DATE, STR, obj
from premises.api.upkeep.security import session_token_header
from premises.api.upkeep.wire import ERROR_SCHEMA, MESSAGE_SCHEMA, ok_message, ok_result, responses, result_schema
from premises.errors import ErrorCode, Unauthenticated
from premises.identity import service as identity
from premises.kit.time import ms_to_iso

router = APIRouter(tags=["auth"])

LOGIN = Spec(Field("email", required=True, max_length=320), Field("password", required=True, max_length=500))
SESSION_SCHEMA = obj({"sessionToken": STR, "expiresAt": DATE}, ("sessionToken", "expiresAt"))
THROTTLED = {
    "description": "Too many failed logins for this email or from this address: retry after Retry-After seconds",
    "headers": {
        "Retry-After": {
            "description": "Seconds until a login may be tried",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
    "content": {"application/json": {"schema": ERROR_SCHEMA}},
}


@router.post(
    "/auth", responses={**responses(result_schema(SESSION_SCHEMA)), 429: THROTTLED}, openapi_extra=LOGIN.openapi()
)
async def log_in(request: Request, runtime: RuntimeDep) -> Response:
    fields = LOGIN.parse(await read_body(request))
    settings = runtime.settings
    limits = identity.LoginLimits(
        settings.login_failures_per_email, settings.login_failures_per_address, settings.login_window_seconds
    )
    # Throttled per email and per client address: the socket peer (no X-Forwarded-For is trusted).
    # The password is verified outside any lock or transaction (issue 5 item 7).
    new = await identity.log_in(
        runtime.reader,
        runtime.write,
        fields["email"],
        fields["password"],
        address=request.client.host if request.client else None,
        limits=limits,
        ttl_hours=settings.session_ttl_hours,
    )
    return ok_result({"sessionToken": new.token, "expiresAt": ms_to_iso(new.expires_at)})


@router.delete("/auth", responses=responses(MESSAGE_SCHEMA))
async def log_out(request: Request, runtime: RuntimeDep) -> Response:
    token = await session_token_header(request)
    if not token:
        # Some clients put the token in the body instead of the header; accept that too.
        body = await read_body(request)
        token = body.get("sessionToken") or body.get("Session-Token")
    if not isinstance(token, str) or not token:
        raise Unauthenticated(ErrorCode.CREDENTIALS_REQUIRED)
    await runtime.write(lambda s: identity.logout(s, token.strip()))
    return ok_message("session deleted")
