"""The development sets in ``../shared/data`` (format in its README) and the seed example, as records."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["SETS", "Record", "data_root", "load", "split_of"]

SETS = ("trafilatura", "wcxb-dev", "fundus", "readability")


def data_root() -> Path | None:
    """``$BROADSHEET_DATA`` or ``../shared/data`` beside the project; None when absent."""
    env = os.environ.get("BROADSHEET_DATA")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve().parent.parent
    candidates += [here.parent / "shared" / "data", here / ".." / ".." / "shared" / "data"]
    for path in candidates:
        if (path / "README.md").exists():
            return path.resolve()
    return None


@dataclass(slots=True)
class Record:
    set: str
    id: str
    truth: dict[str, Any]
    path: Path
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def html(self) -> bytes:
        return gzip.decompress(self.path.read_bytes())

    @property
    def url(self) -> str | None:
        return self.truth.get("url")


def split_of(record_id: str) -> str:
    """The fixed train/test split: ``test`` for ids whose first hex digit is 0-4 (about 31%)."""
    return "test" if record_id[0] in "01234" else "train"


def load(name: str, *, root: Path | None = None, split: str | None = None) -> Iterator[Record]:
    """Records of one set, sorted by id; ``split`` = "train" | "test" | None (all)."""
    root = root or data_root()
    if root is None:
        raise FileNotFoundError("development data not found: set BROADSHEET_DATA or put it in ../shared/data")
    folder = root / name
    with (folder / "truth.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            truth = json.loads(line)
            if split and split_of(truth["id"]) != split:
                continue
            yield Record(
                set=name, id=truth["id"], truth=truth, path=folder / "pages" / f"{truth['id']}.html.gz"
            )
