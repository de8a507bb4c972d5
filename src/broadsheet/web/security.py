"""What stands between the web's content and the reader: headers, limits, the write token, the SSRF check.

- every response carries a strict Content-Security-Policy (no script at all, nothing from elsewhere
  but images), ``nosniff``, ``no-referrer`` and ``frame-ancestors 'none'``;
- request bodies over ``max_body`` bytes are refused with 413, whether announced or streamed
  (Starlette's body limit, switched on in ``app.py``);
- writes need the configured token, compared in constant time;
- URLs a write would fetch must be http(s) and resolve to public addresses (the fetcher's own guard
  checks again at connect time and on every redirect, so a rebinding DNS server gains nothing).
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import BroadsheetError
from .settings import WebSettings

__all__ = [
    "Forbidden",
    "SecurityHeaders",
    "TargetRefused",
    "check_target",
    "check_token",
    "content_security_policy",
    "safe_url",
    "security_headers",
]


class Forbidden(BroadsheetError):
    """A write without the right token, or with writes disabled."""


class TargetRefused(BroadsheetError):
    """A URL a write would fetch that is not http(s) or points at a private address."""


def content_security_policy(remote_images: bool) -> str:
    images = "'self' https: data:" if remote_images else "'self' data:"
    return (
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        f"form-action 'self'; frame-ancestors 'none'; img-src {images}; style-src 'self'"
    )


def security_headers(remote_images: bool = True) -> dict[str, str]:
    """The headers every response carries."""
    return {
        "content-security-policy": content_security_policy(remote_images),
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "same-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    }


class SecurityHeaders:
    """Adds the security headers to every HTTP response (pages, API, feeds, static files, errors).

    A crash (500) is answered outside this middleware; its handler adds ``security_headers`` itself.
    """

    def __init__(self, app: ASGIApp, *, remote_images: bool = True) -> None:
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in security_headers(remote_images).items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in self.headers if h[0] not in names),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def check_token(settings: WebSettings, given: str | None) -> None:
    """Raise ``Forbidden`` unless writes are enabled and ``given`` is the token (constant-time compare)."""
    if settings.token is None:
        raise Forbidden("this reading room is read-only: start it with a write token (BROADSHEET_WEB_TOKEN)")
    if not given or not hmac.compare_digest(given.encode("utf-8"), settings.token.encode("utf-8")):
        raise Forbidden("a valid write token is required")


def check_target(url: str, settings: WebSettings) -> str:
    """The URL, if a write may fetch it: http(s), with a host resolving only to allowed addresses."""
    from ..sources.guard import AddressGuard, Blocked

    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise TargetRefused(f"only http and https URLs can be fetched, not {url[:200]!r}")
    if parts.username or parts.password:
        raise TargetRefused("URLs with credentials are not fetched")
    guard = AddressGuard(allow_private=settings.allow_private, allowed_networks=settings.allowed_networks)
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        guard.resolve(parts.hostname, port, timeout=5.0)
    except Blocked as exc:
        raise TargetRefused(str(exc)) from None
    except ValueError as exc:  # a port out of range
        raise TargetRefused(f"bad URL: {exc}") from None
    except Exception as exc:
        raise TargetRefused(f"cannot resolve {parts.hostname}: {exc}") from None
    finally:
        guard.close()
    return url.strip()


def safe_url(url: object) -> str | None:
    """``url`` when it is an absolute http(s) URL a page may link to; None for javascript:, data:, etc."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    if any(c in text for c in "\x00\r\n\t") or len(text) > 4096:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text
