"""The fixtures every /v1 test module may take, from tests/support/v1.py."""

from tests.support.v1 import admin, loopback_http

__all__ = ["admin", "loopback_http"]
