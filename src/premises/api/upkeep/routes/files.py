"""/files: upload (multipart), list, get. The bytes are downloaded through the signed ``url``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.listing import check_keys
from premises.api.limits import takes_files
from premises.api.upkeep.listing import ListSpec, parse_list
from premises.api.upkeep.mappers import files as wire
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.wire import JSON, ok_result, ok_results, responses, result_schema, results_schema
from premises.errors import DomainValidation
from premises.file import queries, service
from premises.file.commands import FileUpload
from premises.file.storage import store_for

router = APIRouter(tags=["files"])

LIST = ListSpec(sort_param="sort")
FIELDS = ("file", "filename")

UPLOAD_SCHEMA = {
    "type": "object",
    "required": ["success", "data"],
    "properties": {
        "success": {"type": "boolean", "enum": [True]},
        "data": wire.SCHEMA,
        "result": wire.SCHEMA,
    },
}
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],  # filename defaults to the uploaded file's own name
                    "additionalProperties": False,
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "filename": {
                            "type": "string",
                            "description": "Name to store the file under; the file's extension is added when "
                            "it has none. Defaults to the uploaded file's name.",
                        },
                    },
                }
            }
        },
    }
}


def _upload(form: FormData) -> FileUpload:
    for key in form:
        if key not in FIELDS:
            raise DomainValidation(f"{key} not in schema", field=key)
        if len(form.getlist(key)) > 1:
            raise DomainValidation(f"{key} must be given once", field=key)
    file = form.get("file")
    if file is None or file == "":
        raise DomainValidation("file cannot be null", field="file")
    if not isinstance(file, UploadFile):
        raise DomainValidation("file must be a file (multipart/form-data upload)", field="file")
    filename = form.get("filename")
    if filename is not None and not isinstance(filename, str):
        raise DomainValidation("filename must be a string", field="filename")
    if not (filename or "").strip() and not (file.filename or "").strip():
        raise DomainValidation("filename cannot be null", field="filename")
    return FileUpload(
        source=file.file,
        requested_name=filename,
        uploaded_name=file.filename,
        declared_type=file.content_type,
    )


@router.post(
    "/files",
    responses=responses(UPLOAD_SCHEMA),
    openapi_extra=UPLOAD_BODY,
    description="Upload a file (multipart/form-data with `file` and `filename`). The response carries the "
    "record in `data` (as UpKeep documents) and, like every other create, in `result`.",
)
@takes_files  # the body may be as large as PREMISES_MAX_UPLOAD_BYTES (premises.api.limits)
async def upload_file(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    principal.require("file", "create")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        raise DomainValidation("file cannot be null: send the file as multipart/form-data", field="file")
    max_bytes = runtime.settings.max_upload_bytes
    store = store_for(runtime.settings)
    async with request.form(max_files=len(FIELDS), max_fields=len(FIELDS)) as form:
        upload = _upload(form)
        file_id = await run_in_threadpool(
            service.upload_file, runtime.db.unit_of_work, store, principal, upload, max_bytes=max_bytes
        )
    item = wire.to_upkeep(await queries.get_file(runtime.reader, principal, file_id), runtime.settings)
    content: dict[str, Any] = {"success": True, "data": item, "result": item}
    return JSON(content)


@router.get("/files", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_files(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_files(runtime.reader, principal, parsed.query)
    return ok_results([wire.to_upkeep(r, runtime.settings) for r in rows])


@router.get("/files/{file_id}", responses=responses(result_schema(wire.SCHEMA)))
async def get_file(file_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    return ok_result(wire.to_upkeep(await queries.get_file(runtime.reader, principal, file_id), runtime.settings))
