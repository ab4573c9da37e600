"""The SSRF guard: a webhook endpoint may not point into the server's own network.

An endpoint URL must be http(s) with a host; every address its host resolves to must be a public
unicast address: loopback, private (RFC 1918, unique-local), link-local (incl. the cloud metadata
address 169.254.169.254), carrier-grade NAT, multicast, reserved and unspecified addresses are
refused, unless ``PREMISES_WEBHOOK_ALLOW_PRIVATE=1`` (development and tests). The check runs when an
endpoint is saved and again before every delivery attempt (DNS may change in between).

DNS rebinding: a name may resolve to a public address when it is checked and to a private one a moment
later, when the HTTP client resolves it again to connect. So the host is resolved once: the attempt's
connection goes to the address that was checked (``pinned``; ``PinnedBackend`` is the HTTP client's
network backend, which looks the host up in the pins of the current attempt), while the request
keeps the URL's host name (the ``Host`` header, TLS SNI and certificate check).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

import httpcore

METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data"})
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


class RefusedAddress(Exception):
    """The URL is not one the server may call; ``reason`` says why (no secret, no address detail)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_form(url: str) -> str:
    """The URL's host if the URL is an absolute http(s) URL without credentials, else RefusedAddress."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as error:
        raise RefusedAddress("not a valid URL") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedAddress("not an http or https URL")
    if parts.username is not None or parts.password is not None:
        raise RefusedAddress("credentials in the URL")
    return parts.hostname


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return False
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def check_url(url: str, *, allow_private: bool) -> str | None:
    """Refuse (RefusedAddress) a URL whose host is not public; resolves the host name once and returns the
    address to connect to (every address the name has is checked; None: not resolved, only when
    ``allow_private``, where the client's own resolution is left to fail)."""
    host = check_form(url)
    if allow_private:
        try:
            return _addresses(host)[0]
        except RefusedAddress:
            return None
    if host.lower().rstrip(".") in METADATA_HOSTS:
        raise RefusedAddress("a metadata address")
    found = _addresses(host)
    for text in found:
        if not is_public(ipaddress.ip_address(text)):
            raise RefusedAddress("a loopback, private, link-local or reserved address")
    return found[0]


def _addresses(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise RefusedAddress("the host name does not resolve") from error
    found = [str(info[4][0]).split("%", 1)[0] for info in infos]
    if not found:
        raise RefusedAddress("the host name does not resolve")
    return found


# The pins of the attempt running in this thread: host name -> the checked address to connect to.
_PINS: ContextVar[Mapping[str, str] | None] = ContextVar("webhook_address_pins", default=None)


@contextmanager
def pinned(url: str, address: str | None) -> Iterator[None]:
    """While open, connections to ``url``'s host made by ``PinnedBackend`` in this thread go to ``address``."""
    if address is None:
        yield
        return
    token = _PINS.set({**(_PINS.get() or {}), urlsplit(url).hostname or "": address})
    try:
        yield
    finally:
        _PINS.reset(token)


class PinnedBackend(httpcore.SyncBackend):
    """The HTTP client's network backend: a new connection to a pinned host goes to its pinned address
    (the one the check resolved); TLS still names the host (httpcore passes it as SNI)."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        address = (_PINS.get() or {}).get(host, host)
        return super().connect_tcp(address, port, timeout, local_address, socket_options)
