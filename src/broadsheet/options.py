"""One options record for extraction. The CLI and the environment fill it; nothing else configures a call."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .pipeline.templates import TemplateBook

__all__ = ["Options"]

_ENV_PREFIX = "BROADSHEET_"


@dataclass(frozen=True, slots=True)
class Options:
    """How to extract. Defaults suit news pages; limits bound time and memory per page."""

    kind: Literal["auto", "html", "text"] = (
        "auto"  # what the input is; auto: HTML when its start is markup, else page text
    )
    explain: bool = False  # keep every candidate's decision and reason in Article.explain
    keep_rejected_body: bool = True  # a not-article page still gets its best-guess text
    # Limits: an input over one is rejected with Reason.TOO_LARGE (never a crash or a hang).
    max_bytes: int = 50_000_000  # raw bytes of one page
    max_decompressed: int = 100_000_000  # bytes after gunzip
    max_nodes: int = 1_000_000  # HTML elements
    max_lines: int = 200_000  # lines of a flattened text
    max_line_chars: int = 1_000_000  # a single text line is cut here
    # steps lexbor would take looking down the open elements for end tags that close none (html.stray_steps);
    # development pages need at most 9,030; 0 = unchecked
    max_stray_steps: int = 10_000_000
    timeout: float = 0.0  # seconds per page in a worker pool (Reason.TIMEOUT); 0 = the pool's default
    max_memory: int = 2_000_000_000  # bytes a pool worker may grow by (RLIMIT_AS); 0 = no limit
    body_threshold: float = 0.5  # block score at or above which a block is body
    # Site templates: flattened-text pages of one site, seen together, teach which lines are its boilerplate.
    site_templates: bool = True  # learn site templates in extract_many and ingestion
    template_min_pages: int = 3  # a line on this many pages of a site is boilerplate
    # Templates learned before extraction (ingestion and Spark learn them over all their inputs first);
    # a flattened-text page of a site the book knows is decided with that site's template.
    templates: TemplateBook | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_env(cls, **overrides: Any) -> Options:
        """Options from ``BROADSHEET_<NAME>`` environment variables, then ``overrides``."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = os.environ.get(_ENV_PREFIX + f.name.upper())
            if raw is None:
                continue
            default = getattr(cls(), f.name)
            if default is None:  # learned state, not a setting
                continue
            if isinstance(default, bool):
                values[f.name] = raw.strip().lower() in {"1", "true", "yes", "on"}
            elif isinstance(default, int):
                values[f.name] = int(raw)
            elif isinstance(default, float):
                values[f.name] = float(raw)
            else:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Options:
        return replace(self, **changes)
