"""SSRF guard: refuse to connect to private, loopback, link-local, multicast and reserved addresses.

The check runs inside the HTTP client's network backend, at connect time: the host name is resolved
once, every address it resolves to is checked, and the socket is opened to a checked address. There
is no second lookup for a rebinding DNS server to answer differently, and every redirect hop opens
its connection through the same check.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import httpcore

__all__ = ["AddressGuard", "Blocked", "GuardedBackend", "why_blocked"]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Blocked(Exception):
    """A connection the guard refused; the fetcher turns it into a ``blocked`` rejection."""


def why_blocked(ip: Address) -> str | None:
    """What kind of non-public address ``ip`` is, or None when it is a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if flag:
            return kind
    return None if ip.is_global else "not globally routable"


class AddressGuard:
    """Resolves host names and vets every address; ``allow_private`` or ``allowed_networks`` lift it."""

    def __init__(self, *, allow_private: bool = False, allowed_networks: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        self.allowed = tuple(ipaddress.ip_network(net, strict=False) for net in allowed_networks)
        self._resolver = ThreadPoolExecutor(max_workers=2, thread_name_prefix="broadsheet-dns")

    def close(self) -> None:
        self._resolver.shutdown(wait=False, cancel_futures=True)

    def check(self, ip: Address, host: str) -> None:
        kind = why_blocked(ip)
        if kind and not self.allow_private and not any(ip in net for net in self.allowed):
            shown = host if host == str(ip) else f"{host} ({ip})"
            raise Blocked(f"{shown} is a {kind} address; refused (SSRF guard, allow_private to override)")

    def resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        """Every address of ``host``, each checked; raises ``Blocked`` if any one is refused."""
        literal = host.strip("[]")
        try:
            addresses = [ipaddress.ip_address(literal)]
        except ValueError:
            addresses = self._lookup(host, port, timeout)
        for ip in addresses:  # one bad answer refuses the host: the resolver may rotate answers
            self.check(ip, host)
        return [str(ip) for ip in addresses]

    def _lookup(self, host: str, port: int, timeout: float | None) -> list[Address]:
        # getaddrinfo has no timeout of its own; run it aside so a stuck resolver cannot hang a fetch.
        future = self._resolver.submit(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
        try:
            infos = future.result(timeout=timeout)
        except FutureTimeout as exc:
            raise httpcore.ConnectTimeout(f"DNS lookup of {host} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"DNS lookup of {host} failed: {exc}") from exc
        seen: dict[str, Address] = {}
        for info in infos:
            raw = str(info[4][0]).split("%")[0]  # drop an IPv6 zone index
            seen.setdefault(raw, ipaddress.ip_address(raw))
        if not seen:
            raise httpcore.ConnectError(f"DNS lookup of {host} returned no address")
        return list(seen.values())


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with the guard in front of every TCP connect."""

    def __init__(self, guard: AddressGuard, inner: httpcore.NetworkBackend | None = None) -> None:
        self._guard = guard
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        error: Exception | None = None
        for address in self._guard.resolve(host, port, timeout):
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc  # try the host's next address
        assert error is not None
        raise error

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise Blocked("unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
