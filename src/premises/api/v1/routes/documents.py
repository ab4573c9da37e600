"""/v1/documents: files' metadata with a signed download ``url`` (the files of ``/api/v2/files``, with the
same ids), and uploads (``multipart/form-data``: ``file``, and ``name`` to store it under).

There is one name, ``documents``: ``/v1/files`` is no alias (one resource, one name in the document).
A file names no site: a location-based caller (a site-scoped service account) lists and reads only
the documents it uploaded (``file.queries.page_of_site_files``); a Requester reads its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.errors import WireInputError
from premises.api.kit.representation import Fields, Wire
from premises.api.limits import takes_files
from premises.api.runtime import Runtime
from premises.api.v1.listing import ListSpec, each, get_route, list_route
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.config import Settings
from premises.errors import ErrorCode
from premises.file import queries, service
from premises.file.commands import FileUpload
from premises.file.fields import FILES
from premises.file.links import file_url
from premises.file.storage import store_for
from premises.identity.principal import Principal

router = APIRouter(tags=["documents"])

V1 = Fields(
    FILES.attach(
        "v1",
        {
            "id": Wire("id"),
            "filename": Wire("name", sort=True, then=("url",)),
            "content_type": Wire("mimeType", filter="The media type (a comma list: any of)"),
            "size_bytes": Wire("size", sort=True),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
URL_SCHEMA = {"type": "string", "format": "uri", "description": "A signed download link (no token needed)"}
SCHEMA = object_schema(V1, {"url": URL_SCHEMA})
SCHEMA["required"] = [*SCHEMA["required"], "url"]
LIST = ListSpec.of(V1, site_field=None, sited=False)
FORM_FIELDS = ("file", "name")
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "additionalProperties": False,
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "name": {
                            "type": "string",
                            "description": "The name to store it under (its extension is added when it has "
                            "none); default: the uploaded file's name",
                        },
                    },
                }
            }
        },
    }
}


def to_v1(row: dict[str, Any], settings: Settings) -> dict[str, Any]:
    out = V1.render(row)
    out["url"] = file_url(row, settings)
    return out


def _upload(form: FormData) -> FileUpload:
    for key in form:
        if key not in FORM_FIELDS:
            raise WireInputError(ErrorCode.UNKNOWN_FIELD, field=key)
        if len(form.getlist(key)) > 1:
            raise WireInputError(ErrorCode.REPEATED_PARAMETER, field=key)
    file, name = form.get("file"), form.get("name")
    if file is None or file == "":
        raise WireInputError(ErrorCode.REQUIRED, field="file")
    if not isinstance(file, UploadFile):
        raise WireInputError(ErrorCode.WRONG_TYPE, field="file", expected="a file part")
    if name is not None and not isinstance(name, str):
        raise WireInputError(ErrorCode.WRONG_TYPE, field="name", expected="a string")
    if not (name or "").strip() and not (file.filename or "").strip():
        raise WireInputError(ErrorCode.REQUIRED, field="name")
    return FileUpload(
        source=file.file, requested_name=name, uploaded_name=file.filename, declared_type=file.content_type
    )


@router.get("/documents", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_documents(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    render = each(lambda row: to_v1(row, runtime.settings))
    return await list_route(request, runtime.reader, principal, LIST, queries.page_of_site_files, render)


@router.get("/documents/{document_id}", responses=responses(SCHEMA))
async def get_document(document_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    load = lambda: queries.get_site_file(runtime.reader, principal, document_id)  # noqa: E731
    return await get_route(request, load, lambda row: to_v1(row, runtime.settings))


@router.post("/documents", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=UPLOAD_BODY)
@takes_files  # the body may be as large as PREMISES_MAX_UPLOAD_BYTES (premises.api.limits)
async def upload_document(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    file_id = await receive_upload(request, runtime, principal)
    return JSON(to_v1(await queries.get_file(runtime.reader, principal, file_id), runtime.settings), status_code=201)


def is_upload(request: Request) -> bool:
    """Whether the body is ``multipart/form-data`` (the only upload form /v1 takes)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == "multipart/form-data"


async def receive_upload(
    request: Request, runtime: Runtime, principal: Principal, then: Callable[[Session, str], object] | None = None
) -> str:
    """Store the upload form's ``file`` (under ``name``) as a new document, ``then`` in its transaction
    (``file.service.upload_file``); its id. For a route marked ``@takes_files``."""
    principal.require("file", "create")
    if not is_upload(request):
        raise WireInputError(ErrorCode.WRONG_TYPE, field="file", expected="a multipart/form-data upload")
    store = store_for(runtime.settings)
    async with request.form(max_files=len(FORM_FIELDS), max_fields=len(FORM_FIELDS)) as form:
        upload = _upload(form)
        return await run_in_threadpool(
            service.upload_file,
            runtime.db.unit_of_work,
            store,
            principal,
            upload,
            max_bytes=runtime.settings.max_upload_bytes,
            then=then,
        )
