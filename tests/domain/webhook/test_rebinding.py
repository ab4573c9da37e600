"""DNS rebinding: a delivery attempt resolves the endpoint's host once, checks that address, and connects
to it, sending the host name (``Host`` header; SNI for https). The resolver is stubbed at the socket
level (``socket.getaddrinfo``, which both our check and the HTTP client's own resolution would call):
the name answers one address the first time and another one after, as a rebinding DNS server does."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from premises.config import Settings
from premises.webhook import signing
from premises.webhook.delivery import post
from tests.support.receiver import Receiver, running_receiver

HOST = "hooks.rebind.test"


class Rebinding:
    """``socket.getaddrinfo`` for ``HOST``: ``first`` on the first lookup, ``then`` on every later one."""

    def __init__(self, first: str, then: str) -> None:
        self.answers = [first, then]
        self.lookups = 0
        self.real = socket.getaddrinfo

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != HOST:
            return self.real(host, port, *args, **kwargs)
        address = self.answers[min(self.lookups, 1)]
        self.lookups += 1
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port or 0))]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def _attempt(receiver: Receiver, resolver: Rebinding, monkeypatch: pytest.MonkeyPatch, *, allow_private: bool) -> Any:
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    port = receiver.url.split(":")[2].split("/")[0]
    settings = Settings(webhook_allow_private=allow_private, webhook_timeout_seconds=1)
    return post(settings, f"http://{HOST}:{port}/hook", "msg_rebind", signing.new_secret(), b"{}"), port


def test_a_name_that_rebinds_to_a_private_address_is_not_followed(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Public when checked, loopback a moment later: the connection goes to the public address checked
    (unreachable here), never to the loopback receiver."""
    resolver = Rebinding("93.184.216.34", "127.0.0.1")
    answer, _ = _attempt(receiver, resolver, monkeypatch, allow_private=False)
    assert answer.status_code is None and answer.error is not None
    assert receiver.received == []
    assert resolver.lookups == 1  # resolved once, by the check


def test_the_pinned_connection_names_the_host(receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    """The request goes to the address resolved first (later answers are never used), with the URL's
    host name in its Host header."""
    resolver = Rebinding("127.0.0.1", "10.255.255.1")
    answer, port = _attempt(receiver, resolver, monkeypatch, allow_private=True)
    assert answer.ok, answer
    [received] = receiver.received
    assert received.headers["host"] == f"{HOST}:{port}"
    assert resolver.lookups == 1
