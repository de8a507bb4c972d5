"""Where a peer gets a date, tags, authors or the title right and broadsheet's HTML path does not (TRAIN split).

    python -m training.html_fields_diag --sets trafilatura --field published [--show 20]
    python -m training.html_fields_diag --sets fundus,readability --field title

Peer outputs come from the benchmark cache (run ``python -m bench run --split train`` with the peers
first). Each labelled page is counted as ok / peer-only (a peer right, broadsheet wrong) / both wrong,
and every miss is sorted by where the labelled value is on the page: which declared source (JSON-LD,
``<meta>``, the visible date elements, the URL) holds the labelled day or tags, so the counts name a
cause (a modified date chosen, a UTC day, a source not read) rather than a page. Title and date misses are
also counted by the labelling convention they follow (``title_convention``, ``date_convention``), which
rules must not chase.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path
from typing import Any

from bench import extractors
from bench.cache import Cache, key
from bench.cases import truth_from_labels
from bench.datasets import load
from bench.metrics import authors_f1, exact, normalise, same_day, set_f1
from bench.output import Output

from broadsheet.options import Options
from broadsheet.pipeline.body import select_body
from broadsheet.pipeline.dates import date_from_url, parse_date
from broadsheet.pipeline.html import parse_html
from broadsheet.pipeline.metadata import extract_metadata, split_tags
from broadsheet.pipeline.metadata_html import (
    _MODIFIED_METAS,
    _PUBLISHED_METAS,
    _RARE_PUBLISHED_METAS,
    _Evidence,
    strip_site_name,
)
from broadsheet.pipeline.metadata_ld import text_of
from broadsheet.pipeline.read import read


def run_page(html: bytes, url: str | None) -> tuple[Any, Any]:
    """broadsheet's metadata and the evidence it read, for one HTML page."""
    opts = Options()
    page = read(html, url=url, kind="html", options=opts)
    doc = parse_html(page, opts)
    select_body(doc, opts)
    meta = extract_metadata(doc, "\n\n".join(c.text for c in doc.candidates if c.kept))
    return meta, _Evidence(doc)


def date_sources(ev: Any) -> dict[str, list[str]]:
    """Every date the page declares or shows, by source."""

    def p(v: Any) -> str | None:
        return parse_date(str(v), not_after=ev.fetched) if v else None

    out: dict[str, list[str]] = {
        "ld.pub": [d for o in ev.ld.objects if (d := p(o.get("datePublished")))],
        "ld.mod": [d for o in ev.ld.objects if (d := p(o.get("dateModified")))],
        "ld.created": [d for o in ev.ld.objects if (d := p(o.get("dateCreated")))],
        "meta.pub": [
            d for k in _PUBLISHED_METAS + _RARE_PUBLISHED_METAS for v in ev.metas.every(k) if (d := p(v))
        ],
        "meta.mod": [d for k in _MODIFIED_METAS for v in ev.metas.every(k) if (d := p(v))],
        "micro.pub": [d for v in ev.micro.get("datePublished", []) if (d := p(v))],
        "vis.pub": [],
        "vis.mod": [],
    }
    for v, mod in ev.page.dates(ev.page.headlines[0][0] if ev.page.headlines else -1):
        d = p(v)
        if d:
            out["vis.mod" if mod else "vis.pub"].append(d)
    url_day = date_from_url(ev.base, not_after=ev.fetched)
    out["url"] = [url_day] if url_day else []
    return out


def date_cause(label: str, got: str | None, got_mod: str | None, src: dict[str, list[str]]) -> str:
    day = label[:10]
    holders = sorted(k for k, vs in src.items() if any(v[:10] == day for v in vs))
    if not got:
        return "none; label in " + (",".join(holders) or "nowhere")
    if got_mod and got_mod[:10] == day:
        return "label=our modified"
    near = any(abs(_days(v, day)) == 1 for vs in src.values() for v in vs)
    if not holders:
        return "label nowhere" + (" (±1 day of a source)" if near else "")
    if abs(_days(got, day)) == 1:
        return "one day off; label in " + ",".join(holders)
    return "other; label in " + ",".join(holders)


def date_convention(label: str, got: str | None, src: dict[str, list[str]]) -> str:
    """Which labelling convention a date miss follows, or "our error".

    - "the modified date": the label's day is a date the page declares or prints as its update, and
      no source gives it as the publication date; or the page declares both dates, ours is the
      declared publication and the label the declared modification
    - "the UTC day": ours is the page's local day (or a time with its offset) and the label the day of
      the same moment in UTC
    - "in no date source": no date source read here holds the label's day (the labeller read a date
      elsewhere: a footer, a calendar, a script, another article; or a source these rules miss)
    """
    day = label[:10]
    pub = {v[:10] for k, vs in src.items() if not k.endswith(".mod") for v in vs}
    mod = {v[:10] for k, vs in src.items() if k.endswith(".mod") for v in vs}
    declared_pub = {v[:10] for k in ("ld.pub", "ld.created", "meta.pub", "micro.pub") for v in src[k]}
    declared_mod = {v[:10] for k in ("ld.mod", "meta.mod") for v in src[k]}
    utc = {v[:10] for vs in src.values() for v in vs if v.endswith(("+00:00", "Z"))}
    if got and day != got[:10] and ((day in utc and len(got) == 10) or _utc_day(got) == day):
        return "the UTC day"
    if (day in mod and day not in pub) or (
        got and day in declared_mod and got[:10] in declared_pub and got[:10] != day
    ):
        return "the modified date"  # (the second: the page declares both, and may print the modified one)
    if day not in pub | mod:
        return "in no date source"
    return "our error"


def _utc_day(iso: str) -> str | None:
    """The UTC day of a timestamp with an offset, else None."""
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return moment.astimezone(UTC).date().isoformat() if moment.tzinfo is not None else None


def _days(a: str, b: str) -> int:
    from datetime import date

    try:
        return (date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days
    except ValueError:
        return 99


def title_sources(ev: Any) -> dict[str, list[str]]:
    """Every title the page declares or shows, by source."""
    return {
        "ld.headline": [h for o in ev.ld.objects if (h := text_of(o.get("headline")))],
        "og:title": ev.metas.every("og:title"),
        "twitter:title": ev.metas.every("twitter:title"),
        "<title>": [ev.title_tag] if ev.title_tag else [],
        "<title>-site": [strip_site_name(ev.title_tag, ev.site_names, loose=True)] if ev.title_tag else [],
        "h1": [h for _, h in ev.page.headlines[:4]],
    }


def title_cause(label: str, got: str | None, src: dict[str, list[str]]) -> str:
    """Where the labelled title is on the page, and how ours differs from it."""
    want = normalise(label)
    holders = sorted(k for k, vs in src.items() if any(normalise(v) == want for v in vs))
    ours = normalise(got)
    if not ours:
        shape = "none"
    elif want in ours:
        shape = "ours longer"
    elif ours in want:
        shape = "ours shorter"
    elif _loose(want) == _loose(ours):
        shape = "punctuation/case only"
    else:
        shape = "different"
    return f"{shape}; label in " + (",".join(holders) or "nowhere")


def title_convention(label: str, got: str | None, src: dict[str, list[str]]) -> str:
    """Which labelling convention a title miss follows, or "our error".

    - "declared, not printed": the label is a declared title (JSON-LD, og/twitter, <title>) and
      ours is the headline the page prints in its <h1> (a social/SEO title labelled as the headline)
    - "site name or kicker kept": the label is ours plus a part that <title> or og:title add (the
      site's name, a kicker)
    - "punctuation only": the label differs from ours, which the page prints, in quotes or dashes only
    - "not on the page": no source prints the label
    """
    want, ours = normalise(label), normalise(got)
    printed = {normalise(h) for h in src["h1"]}
    declared = {normalise(v) for k, vs in src.items() if k != "h1" for v in vs}
    raw = {normalise(v) for k in ("<title>", "og:title", "twitter:title") for v in src[k]}
    if ours and want in raw and want != ours and (want.startswith(ours) or want.endswith(ours)):
        return "site name or kicker kept"
    if ours and _loose(want) == _loose(ours):
        return "punctuation only"
    if want in declared and want not in printed and any(_loose(ours) == _loose(h) for h in printed):
        return "declared, not printed"
    if want not in declared | printed:
        return "not on the page"
    return "our error"


def _loose(text: str) -> str:
    return " ".join(re.findall(r"\w+", text))


def tag_sources(ev: Any) -> dict[str, list[str]]:
    kw = ev.ld.get("keywords")
    ld = kw if isinstance(kw, list) else split_tags(kw) if isinstance(kw, str) else []
    lists = ev.page.tag_lists()
    return {
        "ld.keywords": [str(x) for x in ld],
        "article:tag": ev.metas.every("article:tag"),
        "micro.keywords": split_tags(ev.micro["keywords"][0]) if ev.micro.get("keywords") else [],
        "visible": max(lists, key=len) if lists else [],
        "news_keywords": split_tags(ev.metas.get("news_keywords") or ""),
        "keywords": split_tags(ev.metas.get("keywords") or ""),
    }


def tag_cause(label: list[str], got: list[str], src: dict[str, list[str]]) -> str:
    best = sorted(((set_f1(label, vs), k) for k, vs in src.items() if vs), reverse=True)
    if not best:
        return "no source"
    top = [k for f, k in best if f >= best[0][0] - 1e-9 and f > 0]
    return f"best source {'/'.join(top) or 'none'} F1={best[0][0]:.2f}; ours {set_f1(label, got):.2f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="trafilatura,wcxb-dev,fundus,readability")
    ap.add_argument("--split", default="train")
    ap.add_argument("--field", default="published", choices=["published", "tags", "authors", "title"])
    ap.add_argument("--peers", default="trafilatura,goose3,newspaper4k")
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--cause", default="", help="show only misses whose cause starts with this")
    ap.add_argument("--cache", default="bench/results/cache")
    args = ap.parse_args()
    cache = Cache(Path(args.cache))
    peers = args.peers.split(",")
    for name in args.sets.split(","):
        recs = [r for r in load(name, split=args.split) if r.truth.get(args.field)]
        if name == "wcxb-dev":
            recs = [r for r in recs if r.truth.get("page_type") == "article"]
        keys = {(p, r.id): key(p, extractors.version(p), name, r.id, "html") for p in peers for r in recs}
        cached = cache.get_many(keys.values())
        causes: Counter[str] = Counter()
        conventions: Counter[str] = Counter()
        tally: Counter[str] = Counter()
        shown = 0
        for rec in recs:
            truth = truth_from_labels(rec.truth)
            meta, ev = run_page(rec.html, rec.url)
            outs = {
                p: Output.from_dict(cached[k]) if (k := keys[(p, rec.id)]) in cached else None for p in peers
            }
            if args.field == "published":
                ours = same_day(truth.published, meta.published)
                theirs = {p: same_day(truth.published, o.published) for p, o in outs.items() if o}
            elif args.field == "tags":
                ours = set_f1(truth.tags, meta.tags)
                theirs = {p: set_f1(truth.tags, o.tags) for p, o in outs.items() if o}
            elif args.field == "title":
                ours = exact(truth.title, meta.title)
                theirs = {p: exact(truth.title, o.title) for p, o in outs.items() if o}
            else:
                ours = authors_f1(truth.authors, meta.authors)
                theirs = {p: authors_f1(truth.authors, o.authors) for p, o in outs.items() if o}
            tally["ours"] += ours
            for p, s in theirs.items():
                tally[p] += s
            if ours >= 1.0:
                continue
            better = [p for p, s in theirs.items() if s > ours]
            kind = "peer-better" if better else "all-miss"
            if args.field == "published":
                why = date_cause(truth.published or "", meta.published, meta.modified, date_sources(ev))
            elif args.field == "tags":
                why = tag_cause(truth.tags, meta.tags, tag_sources(ev)).split(" F1")[0]
            elif args.field == "title":
                why = title_cause(truth.title or "", meta.title, title_sources(ev))
            else:
                why = "none" if not meta.authors else "wrong"
            causes[f"{kind}: {why}"] += 1
            if args.field == "title":
                conventions[title_convention(truth.title or "", meta.title, title_sources(ev))] += 1
            elif args.field == "published":
                conventions[date_convention(truth.published or "", meta.published, date_sources(ev))] += 1
            if args.show and shown < args.show and f"{kind}: {why}".startswith(args.cause):
                shown += 1
                print(f"--- {name} {rec.id} {kind} {why} url={rec.url}")
                print(f"    label: {getattr(truth, args.field)!r}")
                print(f"    ours : {getattr(meta, args.field)!r} (modified {meta.modified!r})")
                for p, o in outs.items():
                    if o:
                        print(f"    {p:12s}: {getattr(o, args.field)!r}")
                if args.field == "published":
                    print(f"    sources: { {k: v for k, v in date_sources(ev).items() if v} }")
                elif args.field == "title":
                    print(f"    sources: { {k: v for k, v in title_sources(ev).items() if v} }")
                elif args.field == "tags":
                    print(f"    sources: { {k: v[:12] for k, v in tag_sources(ev).items() if v} }")
                    print(f"    label-norm: {[normalise(t) for t in truth.tags][:12]}")
        n = len(recs)
        print(
            f"== {name} {args.field} n={n} " + " ".join(f"{k}={v / max(1, n):.3f}" for k, v in tally.items())
        )
        for c, v in causes.most_common():
            print(f"   {v:4d}  {c}")
        if conventions:
            kinds = ", ".join(f"{k} {v}" for k, v in conventions.most_common())
            print(f"== {name} {args.field} misses by label convention: {kinds}")


if __name__ == "__main__":
    main()
