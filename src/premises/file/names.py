"""Display names and media types of uploaded files.

A filename is only ever a label (storage keys are ids): it is cleaned so that it is safe in a URL
path segment, a Content-Disposition header and any client's UI.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata

MAX_NAME_LENGTH = 255
FALLBACK_NAME = "file"
GENERIC_TYPE = "application/octet-stream"
_UNSAFE = re.compile(r'[<>:"/\\|?*%]')  # path, header-quoting, markup and Windows-invalid characters
_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")


def clean_filename(raw: str) -> str:
    """The last path component, without control characters or ``<>:"/\\|?*%``, at most 255 chars."""
    name = unicodedata.normalize("NFC", raw)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in name)
    name = _UNSAFE.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        match = _EXTENSION.search(name)
        extension = match.group(0) if match else ""
        name = name[: MAX_NAME_LENGTH - len(extension)].rstrip(" .") + extension
    return name or FALLBACK_NAME


def extension(name: str) -> str:
    match = _EXTENSION.search(name)
    return match.group(0).lower() if match else ""


def display_name(requested: str | None, uploaded: str | None) -> str:
    """The name a file is stored under: the requested one (UpKeep's ``filename``), given the upload's
    extension when it has none (``custom_file_name`` + ``photo.png`` -> ``custom_file_name.png``)."""
    upload_name = clean_filename(uploaded) if uploaded else ""
    if not requested or not requested.strip():
        return upload_name or FALLBACK_NAME
    name = clean_filename(requested)
    suffix = extension(upload_name)
    if suffix and not extension(name):
        name = name[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return name


def media_type(declared: str | None, name: str) -> str:
    """The client's declared type when it is a plausible specific one, else a guess from the name."""
    value = (declared or "").split(";")[0].strip().lower()
    if value and value != GENERIC_TYPE and _MEDIA_TYPE.fullmatch(value):
        return value
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or GENERIC_TYPE
