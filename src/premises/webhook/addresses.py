"""The SSRF guard: a webhook endpoint may not point into the server's own network.

An endpoint URL must be http(s) with a host; every address its host resolves to must be a public
unicast address: loopback, private (RFC 1918, unique-local), link-local (incl. the cloud metadata
address 169.254.169.254), carrier-grade NAT, multicast, reserved and unspecified addresses are
refused, unless ``PREMISES_WEBHOOK_ALLOW_PRIVATE=1`` (development and tests). The check runs when an
endpoint is saved and again before every delivery attempt (DNS may change in between).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

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


def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse (RefusedAddress) a URL whose host is not public; resolves the host name."""
    host = check_form(url)
    if allow_private:
        return
    if host.lower().rstrip(".") in METADATA_HOSTS:
        raise RefusedAddress("a metadata address")
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise RefusedAddress("the host name does not resolve") from error
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not is_public(address):
            raise RefusedAddress("a loopback, private, link-local or reserved address")
