"""The regression gate: broadsheet alone on a fixed sample of held-out pages, against pinned floors.

The sample is ``PER_SET`` test-split pages of every development set (a fixed pseudo-random choice)
plus the seed example, scored as HTML and as resiliparse-flattened text. ``floors.json`` stores one
floor per score and a sha256 digest of the sample (set, id and the bytes of every page). The gate
fails when

- a score falls more than ``TOLERANCE`` below its floor (the tolerance absorbs last-digit float and
  library noise; broadsheet itself is deterministic),
- a floored score is missing, or broadsheet raised on a page (it must never raise),
- the digest differs: the sample changed, so the floors no longer mean anything.

``python -m bench gate --update-floors --reason "..."`` pins the current scores on purpose; the date,
reason and every floor that moved go into the file's history.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import datasets, extractors
from .cases import SEED_SET, Case, Page, decode, make_cases, pages
from .output import Output
from .run import score_cases

__all__ = [
    "FLOORS",
    "PER_SET",
    "TOLERANCE",
    "VARIANTS",
    "Verdict",
    "check",
    "digest",
    "evaluate",
    "gate_sample",
    "main",
    "update",
]

FLOORS = Path(__file__).resolve().parent / "floors.json"
PER_SET = 50
VARIANTS = ("html", "resiliparse")
TOLERANCE = 0.005
SALT = "gate"
#: a score this far above its floor is worth pinning (the gate says so, it does not fail).
HEADROOM = 0.02


def gate_sample(per_set: int = PER_SET) -> list[Page]:
    """The fixed sample: ``per_set`` test pages of each development set, plus the seed."""
    return list(pages((*datasets.SETS, SEED_SET), "test", per_set, salt=SALT))


def digest(found: Sequence[Page]) -> str:
    """sha256 over every page's set, id and bytes, in order."""
    outer = hashlib.sha256()
    for page in found:
        data = page.html if page.html is not None else (page.text or "").encode("utf-8")
        outer.update(f"{page.set}\t{page.id}\t{hashlib.sha256(data).hexdigest()}\n".encode())
    return outer.hexdigest()


def _resiliparse(page: Page, variant: str) -> str:
    from . import flatten

    assert page.html is not None
    return flatten.flatten(decode(page.html), variant)


def _broadsheet(case: Case) -> Output:
    try:
        return extractors.run(extractors.BROADSHEET, case)
    except Exception as exc:  # counted and failed on: extract() must never raise
        return Output.failed(exc)


def evaluate(
    found: Sequence[Page],
    variants: Sequence[str] = VARIANTS,
    flatten: Callable[[Page, str], str] = _resiliparse,
) -> dict[str, float]:
    """broadsheet's scores on ``found``: ``group/variant/metric`` → value (higher is better)."""
    cases = make_cases(found, variants, flatten)
    outputs = {extractors.BROADSHEET: [_broadsheet(c) for c in cases]}
    scores: dict[str, float] = {}
    for row in score_cases(cases, outputs, bootstrap=0):
        prefix = f"{row['group']}/{row['variant']}/"
        scores[prefix + "errors"] = -float(row["errors"])  # negated so that "higher is better" holds
        if row["body"]:
            for name in ("f1", "precision", "recall"):
                scores[prefix + f"body_{name}"] = row["body"][name]
        if row["snippets"] and row["snippets"]["f1"] is not None:
            scores[prefix + "snippet_f1"] = row["snippets"]["f1"]
        for name, value in row["fields"].items():
            scores[prefix + name] = value["score"]
    return scores


@dataclass(slots=True)
class Verdict:
    """The gate's answer: ``failures`` make it fail, ``notes`` are for information."""

    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def check(scores: dict[str, float], sample_digest: str, pinned: dict[str, Any]) -> Verdict:
    """Compare ``scores`` and the sample's digest with a floors document."""
    verdict = Verdict()
    tolerance = float(pinned.get("tolerance", TOLERANCE))
    if pinned.get("sample", {}).get("digest") != sample_digest:
        verdict.failures.append(
            "the gate sample changed (digest "
            f"{sample_digest[:12]} ≠ pinned {str(pinned.get('sample', {}).get('digest'))[:12]}): the floors "
            "no longer describe it; re-pin on purpose with: python -m bench gate --update-floors --reason '...'"
        )
    for name, floor in sorted(pinned.get("floors", {}).items()):
        if name not in scores:
            verdict.failures.append(f"{name}: pinned at {floor:.4f} but no longer measured")
        elif scores[name] < floor - tolerance:
            verdict.failures.append(
                f"{name}: {scores[name]:.4f} is below its floor {floor:.4f} (tolerance {tolerance})"
            )
        elif scores[name] > floor + HEADROOM:
            verdict.notes.append(f"{name}: {scores[name]:.4f} is well above its floor {floor:.4f}")
    for name in sorted(set(scores) - set(pinned.get("floors", {}))):
        verdict.notes.append(f"{name}: {scores[name]:.4f} has no floor yet")
    return verdict


def _floor(value: float) -> float:
    return math.floor(value * 10_000) / 10_000


def update(
    scores: dict[str, float],
    sample_digest: str,
    path: Path,
    reason: str,
    *,
    sample: dict[str, Any] | None = None,
    versions: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Pin ``scores`` as the floors in ``path``, recording the date, the reason and what moved."""
    if not reason or not reason.strip():
        raise ValueError("floors change only on purpose: give --reason '...'")
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    floors = {name: _floor(value) for name, value in sorted(scores.items())}
    moved = {
        name: [old.get("floors", {}).get(name), value]
        for name, value in floors.items()
        if old.get("floors", {}).get(name) != value
    }
    moved.update({name: [value, None] for name, value in old.get("floors", {}).items() if name not in floors})
    date = datetime.now(UTC).strftime("%Y-%m-%d")
    doc = {
        "about": "Floors of `python -m bench gate` (see bench/gate.py). Change only with --update-floors --reason.",
        "tolerance": TOLERANCE,
        "updated": date,
        "reason": reason.strip(),
        "sample": {**(sample or {}), "digest": sample_digest},
        "versions": versions or {},
        "floors": floors,
        "history": [
            *old.get("history", []),
            {"date": date, "reason": reason.strip(), "digest": sample_digest, "moved": moved},
        ],
    }
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return doc


def _print(verdict: Verdict, scores: dict[str, float], pinned: dict[str, Any]) -> None:
    floors = pinned.get("floors", {})
    lowered = [n for n in floors if n in scores and scores[n] < floors[n]]
    print(f"bench gate: {len(scores)} scores, {len(floors)} floors, {len(lowered)} below their floor")
    for line in verdict.notes:
        print(f"  note: {line}")
    for line in verdict.failures:
        print(f"  FAIL: {line}")


def main(*, update_floors: bool = False, reason: str | None = None, floors: Path | None = None) -> int:
    """The command: skip without data, else evaluate, then check or (on purpose) re-pin."""
    path = floors or FLOORS
    if update_floors and not (reason and reason.strip()):
        print(
            "bench gate: --update-floors needs --reason '...' (floors change only on purpose)",
            file=sys.stderr,
        )
        return 2
    if datasets.data_root() is None:
        print("bench gate skipped: development data (../shared/data or $BROADSHEET_DATA) not on this machine")
        return 0
    started = time.perf_counter()
    found = gate_sample()
    scores, sample_digest = evaluate(found), digest(found)
    seconds = time.perf_counter() - started
    if update_floors:
        sample = {
            "per_set": PER_SET,
            "split": "test",
            "salt": SALT,
            "variants": list(VARIANTS),
            "pages": len(found),
        }
        versions = {
            "broadsheet": extractors.version(extractors.BROADSHEET),
            "resiliparse": extractors.distribution_version("resiliparse"),
        }
        update(scores, sample_digest, path, reason or "", sample=sample, versions=versions)
        print(f"bench gate: pinned {len(scores)} floors in {path} ({seconds:.0f} s)")
        return 0
    if not path.exists():
        print(
            f"bench gate: no floors at {path}; pin them with --update-floors --reason '...'", file=sys.stderr
        )
        return 1
    pinned = json.loads(path.read_text(encoding="utf-8"))
    resiliparse = pinned.get("versions", {}).get("resiliparse")
    if resiliparse and resiliparse != extractors.distribution_version("resiliparse"):
        print(f"  note: floors were pinned with resiliparse {resiliparse}; flattened text may differ")
    verdict = check(scores, sample_digest, pinned)
    _print(verdict, scores, pinned)
    print(f"bench gate: {'passed' if verdict.ok else 'FAILED'} in {seconds:.0f} s on {len(found)} pages")
    return 0 if verdict.ok else 1
