"""Property: any Article goes into the archive and comes back equal (and through every export)."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet import Archive, Article, Block, Image
from broadsheet.archive.export import read_export

# Stores hold UTF-8: lone surrogates cannot occur in extracted text (ingestion replaces them).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
maybe = st.none() | text
images = st.builds(Image, url=maybe, caption=maybe, credit=maybe)
blocks = st.builds(
    Block,
    kind=st.sampled_from(["paragraph", "heading", "list_item", "quote"]),
    text=text,
    level=st.integers(0, 6),
)
articles = st.builds(
    Article,
    canonical_url=maybe,
    site_name=maybe,
    section=maybe,
    title=maybe,
    description=maybe,
    authors=st.lists(text, max_size=3),
    published=maybe,
    modified=maybe,
    language=maybe,
    tags=st.lists(text, max_size=3),
    images=st.lists(images, max_size=2),
    text=st.text(st.characters(exclude_categories=("Cs",)), max_size=300),
    blocks=st.lists(blocks, max_size=3),
    confidence=st.floats(0, 1),
    paywalled=st.booleans(),
    kind=st.sampled_from([None, "html", "text"]),
    fetched_at=maybe,
)
_serial = itertools.count()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=articles)
def test_article_archive_article_round_trip(article: Article) -> None:
    n = next(_serial)
    article.url = f"https://example.org/story/{n}"  # each example its own URL: a new article, not a version
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "p.db") as archive:
        article_id = archive.add(article, source=f"prop#{n}")
        assert article_id is not None
        stored = archive.get(article_id)
        assert stored is not None and stored.article == article
        for fmt in ("jsonl", "parquet"):
            archive.export(Path(tmp) / f"x.{fmt}")
            [(_, back)] = list(read_export(Path(tmp) / f"x.{fmt}"))
            assert back == article
