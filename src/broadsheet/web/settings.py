"""How the reading room runs: one settings record, filled by the CLI and ``BROADSHEET_WEB_*`` variables."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ..errors import BroadsheetError

__all__ = ["MIN_TOKEN_LENGTH", "WebSettings"]

_ENV_PREFIX = "BROADSHEET_WEB_"
#: A shorter write token is refused: it could be guessed.
MIN_TOKEN_LENGTH = 16
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Where the archive is, who may write, and the limits. Read-only unless ``token`` is set."""

    archive: str = "broadsheet.db"
    state: str | None = None  # saved searches, feeds, view counts (SQLite); default: beside the archive
    token: str | None = None  # writes (save a search, add a feed, ingest a URL) need it; None: read-only
    allow_private: bool = (
        False  # let writes fetch private, loopback and link-local addresses (SSRF guard off)
    )
    allowed_networks: tuple[str, ...] = ()  # or only these networks ("10.1.0.0/16")
    allowed_hosts: tuple[str, ...] = _LOOPBACK_NAMES  # Host headers served (DNS rebinding); "*": any
    max_body: int = 1_000_000  # bytes of a request body
    page_size: int = 20
    max_page: int = 500  # deeper pages are refused: offsets that deep cost a full scan
    facet_limit: int = 20_000  # listings with more matches show no facets (each would read them all)
    remote_images: bool = True  # show article images from their sites (CSP img-src https:)
    base_url: str = "http://127.0.0.1:8000"  # links in digests
    smtp_host: str | None = None  # digests are mailed when set
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "broadsheet@localhost"
    smtp_starttls: bool = False

    def __post_init__(self) -> None:
        if self.token is not None and len(self.token) < MIN_TOKEN_LENGTH:
            raise BroadsheetError(f"the write token must be at least {MIN_TOKEN_LENGTH} characters long")
        for net in self.allowed_networks:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                raise BroadsheetError(
                    f"not a network: {net!r} (write it as 10.0.0.0/8 or 127.0.0.1/32)"
                ) from None

    @property
    def writable(self) -> bool:
        return self.token is not None

    @property
    def state_path(self) -> Path:
        """The web app's own SQLite file: never the archive, which may be read-only or PostgreSQL."""
        if self.state:
            return Path(self.state)
        if "://" in self.archive and not self.archive.startswith("sqlite://"):
            raise BroadsheetError("give --state PATH: the web state cannot live beside a database URL")
        archive = Path(self.archive.removeprefix("sqlite:///"))
        return archive.with_name(archive.name + ".web")

    @classmethod
    def from_env(cls, **overrides: Any) -> WebSettings:
        """Settings from ``BROADSHEET_WEB_<NAME>`` variables, then ``overrides`` (None means not given)."""
        values: dict[str, Any] = {}
        defaults = cls()
        for f in fields(cls):
            raw = os.environ.get(_ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _parse(raw, getattr(defaults, f.name))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> WebSettings:
        return replace(self, **changes)

    @staticmethod
    def hosts_for(bind: str) -> tuple[str, ...]:
        """Host headers to accept when serving on ``bind``: loopback names, the address itself, or any."""
        if bind in ("0.0.0.0", "::", ""):
            return ("*",)
        return tuple(dict.fromkeys((*_LOOPBACK_NAMES, bind)))


def _parse(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, tuple):
        return tuple(x.strip() for x in raw.split(",") if x.strip())
    return raw
