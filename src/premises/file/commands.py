"""What the file services take: typed commands with domain names (style: ``premises.kit.commands``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True, slots=True)
class FileUpload:
    """One uploaded file as the client sent it: the bytes, and the names and type it gave them."""

    source: BinaryIO
    requested_name: str | None  # the name the client asks the file to be stored under
    uploaded_name: str | None  # the name of the uploaded file itself (a multipart part's filename)
    declared_type: str | None
