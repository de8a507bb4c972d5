"""Peer extractors, one module per library, each called the way its documentation recommends.

Every runner takes ``(html: str, url: str | None)`` and returns an ``Output``; nothing here reaches
the network (image fetching off, HTML handed in). ``PEERS`` names the runners the benchmark knows.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass

from ..output import Output

__all__ = ["PEERS", "Peer", "peer"]


@dataclass(frozen=True, slots=True)
class Peer:
    """A named way of running one library: module ``bench.peers.<module>``, function ``function``."""

    name: str
    module: str
    function: str = "extract"

    @property
    def distribution(self) -> str:
        return str(importlib.import_module(f"{__name__}.{self.module}").DISTRIBUTION)

    @property
    def version(self) -> str:
        try:
            return importlib.metadata.version(self.distribution)
        except importlib.metadata.PackageNotFoundError:
            return "missing"

    def load(self) -> Callable[[str, str | None], Output]:
        """The runner; fails with a message naming the extra when the library is not installed."""
        module = importlib.import_module(f"{__name__}.{self.module}")
        if self.version == "missing":
            raise ModuleNotFoundError(
                f"{self.distribution} is not installed: pip install 'broadsheet[bench]'"
            )
        return getattr(module, self.function)


PEERS: dict[str, Peer] = {
    p.name: p
    for p in (
        Peer("trafilatura", "trafilatura"),
        Peer("trafilatura-precision", "trafilatura", "extract_precision"),
        Peer("trafilatura-recall", "trafilatura", "extract_recall"),
        Peer("readability-lxml", "readability"),
        Peer("newspaper4k", "newspaper"),
        Peer("resiliparse", "resiliparse"),
        Peer("justext", "justext"),
        Peer("goose3", "goose"),
    )
}


def peer(name: str) -> Peer:
    try:
        return PEERS[name]
    except KeyError:
        raise SystemExit(f"unknown peer {name!r}; known: {', '.join(PEERS)}") from None
