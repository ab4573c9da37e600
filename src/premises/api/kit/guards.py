"""Request guards every dialect installs on its app (``FastAPI(dependencies=[Depends(reject_nul)])``)."""

from __future__ import annotations

from fastapi import Request
from starlette.exceptions import HTTPException

from premises.api.kit.errors import WireInputError
from premises.errors import ErrorCode


async def reject_nul(request: Request) -> None:
    """PostgreSQL text cannot hold NUL, so no NUL may reach a query, on any engine.

    An id with NUL names nothing (a plain 404, in the dialect's HTTP-error format); a query
    parameter with NUL is bad input (``QUERY_CONTAINS_NUL``). Bodies are checked where they are
    parsed (``premises.api.kit.body.read_any_body``).
    """
    if any("\x00" in str(value) for value in request.path_params.values()):
        raise HTTPException(404)
    if any("\x00" in key or "\x00" in value for key, value in request.query_params.multi_items()):
        raise WireInputError(ErrorCode.QUERY_CONTAINS_NUL)
