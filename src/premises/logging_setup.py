"""Logging: the request id every line carries, a human-readable and a JSON format, one configuration
for Premises' own loggers (``premises.*``) and uvicorn's.

``PREMISES_LOG_FORMAT`` chooses ``text`` (default) or ``json`` (one object per line); ``PREMISES_LOG_LEVEL``
the level. ``premises serve`` hands :func:`log_config` to uvicorn, which applies it in every worker.
The request id of the request being served (``premises.api.observability``) is a context variable,
so any line logged while a request runs carries it, whatever module logs it.
"""

from __future__ import annotations

import json
import logging
import time
from contextvars import ContextVar
from typing import Any

import orjson

# The id of the request being served (set by ``premises.api.observability.requests.Observe``).
REQUEST_ID: ContextVar[str | None] = ContextVar("premises_request_id", default=None)

# LogRecord attributes that are not "extra" fields.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "color_message",
    "request_id",
}


def current_request_id() -> str | None:
    return REQUEST_ID.get()


def _record_with_request_id(previous: Any) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = previous(*args, **kwargs)
        record.request_id = REQUEST_ID.get()
        return record

    factory.premises_request_id = True  # type: ignore[attr-defined]
    return factory


# Every record takes the request id when it is created, in the request's context, so the id survives
# handlers that format later or elsewhere (a queue, pytest's capture).
if not getattr(logging.getLogRecordFactory(), "premises_request_id", False):
    logging.setLogRecordFactory(_record_with_request_id(logging.getLogRecordFactory()))


def _request_id(record: logging.LogRecord) -> str | None:
    request_id: str | None = getattr(record, "request_id", None)
    return request_id or REQUEST_ID.get()


_second: list[Any] = [-1, ""]  # the last second formatted, and its text (one strftime per second)


def _timestamp(record: logging.LogRecord) -> str:
    whole = int(record.created)
    if whole != _second[0]:
        _second[:] = [whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))]
    return f"{_second[1]}.{int(record.msecs):03d}Z"


class TextFormatter(logging.Formatter):
    """``2026-12-02T17:40:00.123Z INFO premises.access [request id] message`` (control characters escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if not message.isprintable():
            message = message.encode("unicode_escape").decode("ascii")
        request_id = _request_id(record)
        line = f"{_timestamp(record)} {record.levelname} {record.name}"
        if request_id:
            line += f" [{request_id}]"
        line += f" {message}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, the record's extra fields
    (the access log's method, path, status, ...) and the exception's traceback as ``exception``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = _request_id(record)
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        try:
            return orjson.dumps(entry, default=str).decode()
        except TypeError:  # what orjson refuses (an integer beyond 64 bits, a non-string key)
            return json.dumps(entry, default=str, ensure_ascii=False)


def log_config(log_format: str = "text", log_level: str = "info") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` configuration: every line to stderr in ``log_format``, Premises'
    and uvicorn's loggers at ``log_level``. uvicorn's access log stays off: ``premises.access``
    (``premises.api.observability``) writes one line per request with its id and account."""
    formatter = JsonFormatter if log_format.strip().lower() == "json" else TextFormatter
    level = log_level.strip().upper()
    handler = {"class": "logging.StreamHandler", "formatter": "premises", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"premises": {"()": f"{formatter.__module__}.{formatter.__qualname__}"}},
        "handlers": {"premises": handler},
        "root": {"handlers": ["premises"], "level": "WARNING"},
        "loggers": {
            "premises": {"level": level},
            "uvicorn": {"level": level},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"level": "WARNING"},
        },
    }
