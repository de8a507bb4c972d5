"""Site templates: lines a site prints on many pages are learned across a batch, kept, and reused."""

from __future__ import annotations

import json
import random

import broadsheet
from broadsheet.article import Input
from broadsheet.pipeline import extract_many
from broadsheet.pipeline.templates import SiteTemplate, TemplateBook, line_key, site_of
from broadsheet.synthetic import SITES, make_story, render_page


def test_site_of_and_line_key() -> None:
    assert site_of("https://www.example.com/a/b") == "example.com"
    assert site_of("news.example.com/x") == "news.example.com"
    assert site_of(None) is None and site_of("") is None
    # a year or a date in a footer does not make it another line
    assert line_key("Copyright © 2023 Example Ltd") == line_key("copyright  © 2024 Example Ltd")
    assert line_key("About us") != line_key("About them")


def test_template_counts_distinct_pages() -> None:
    t = SiteTemplate(site="example.com", min_pages=3)
    assert t.learn(["Home News Sport", "Story one", "Footer"])
    assert not t.learn(["Home News Sport", "Story one", "Footer"])  # the same page again counts once
    assert not t.ready and t.matches(["Footer"]) == [0]
    t.learn(["Home News Sport", "Story two", "Footer"])
    t.learn(["Home News Sport", "Story three", "Footer", "Promo"])
    assert t.ready and t.pages == 3
    assert t.matches(["Footer", "Story two", "Promo", "Home News Sport"]) == [3, 0, 0, 3]
    again = SiteTemplate.from_dict(json.loads(json.dumps(t.to_dict())))
    assert again.matches(["Footer", "Story two"]) == [3, 0] and again.pages == 3


def _site_pages(site_index: int, n: int, seed: int, variant: str = "original") -> list:
    rng = random.Random(seed)
    site = SITES[site_index]
    return [render_page(make_story(rng, i, lang=site.lang), site, rng, variant=variant) for i in range(n)]


def test_extract_many_learns_and_uses_site_templates() -> None:
    pages = _site_pages(0, 4, seed=3) + _site_pages(1, 4, seed=4)
    # a promo block printed inside the body of one page: only the site template knows it is boilerplate
    inline = _site_pages(0, 1, seed=5, variant="extra_boilerplate")[0]
    pages.append(inline)
    book = TemplateBook()
    inputs = [Input(content=p.text, url=p.url, kind="text") for p in pages]
    articles = list(extract_many(inputs, templates=book))
    assert len(articles) == len(pages)
    assert {t.site for t in book} == {"harbourcourier.example", "northernledger.example"}
    courier = book.sites["harbourcourier.example"]
    assert courier.pages == 5 and courier.boilerplate() >= 5
    for page, article in zip(pages, articles, strict=True):
        assert article.ok, article.error
        assert page.truth["never_in_body"][0] not in article.text  # the site's promo line
        for footer in SITES[0].footer + SITES[1].footer:
            assert footer not in article.text.split("\n\n")
    promo = SITES[0].promo
    assert promo not in articles[-1].text
    assert inline.truth["body"][0] in articles[-1].text


def test_template_reason_in_explain_and_book_round_trip() -> None:
    pages = _site_pages(2, 4, seed=9)
    book = TemplateBook()
    opts = broadsheet.Options(explain=True)
    articles = list(extract_many([Input(p.text, url=p.url) for p in pages], options=opts, templates=book))
    reasons = [
        d.reason for d in articles[-1].explain or [] if d.role == "template" or "site template" in d.reason
    ]
    assert reasons and all("dailymeridian.example" in r for r in reasons)
    saved = json.dumps(book.to_dict())
    again = TemplateBook.from_dict(json.loads(saved))
    # a later batch starts from the saved book: one page of the site already gets its template
    more = _site_pages(2, 1, seed=10)[0]
    article = next(iter(extract_many([Input(more.text, url=more.url)], options=opts, templates=again)))
    assert any("site template" in d.reason for d in article.explain or [])
    assert again.sites["dailymeridian.example"].pages == 5


def test_one_page_works_without_a_template() -> None:
    page = _site_pages(0, 1, seed=11)[0]
    article = broadsheet.extract(page.text, url=page.url)
    assert article.ok and page.truth["body"][0] in article.text
    assert not any(d.role == "template" for d in article.explain or [])


def test_same_story_printed_on_many_pages_keeps_its_body() -> None:
    page = _site_pages(0, 1, seed=12)[0]
    inputs = [Input(page.text, url=page.url + f"?copy={i}") for i in range(5)]
    inputs += [Input(p.text, url=p.url) for p in _site_pages(0, 3, seed=13)]
    articles = list(extract_many(inputs))
    for article in articles[:5]:
        assert page.truth["body"][0] in article.text
        assert page.truth["body"][-1] in article.text


def test_templates_can_be_switched_off() -> None:
    pages = _site_pages(3, 4, seed=14)
    book = TemplateBook()
    opts = broadsheet.Options(site_templates=False)
    articles = list(extract_many([Input(p.text, url=p.url) for p in pages], options=opts, templates=book))
    assert len(articles) == 4 and len(book) == 0


def test_learned_templates_do_not_depend_on_order() -> None:
    from broadsheet.pipeline import learn_templates

    pages = _site_pages(0, 4, seed=15) + _site_pages(1, 3, seed=16)
    inputs = [Input(p.text, url=p.url, kind="text") for p in pages]
    forward = learn_templates(inputs).compact().to_dict()
    assert forward == learn_templates(list(reversed(inputs))).compact().to_dict()
    assert {t["site"] for t in forward["sites"]} == {"harbourcourier.example", "northernledger.example"}


def test_ingestion_learns_site_templates_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from broadsheet.archive import Archive

    pages = _site_pages(0, 4, seed=17) + _site_pages(0, 1, seed=18, variant="extra_boilerplate")
    scrape = tmp_path / "scrape.jsonl"
    scrape.write_text(
        "".join(json.dumps({"url": p.url, "text": p.text}) + "\n" for p in pages), encoding="utf-8"
    )
    stored = []
    for workers in (0, 2):
        with Archive(tmp_path / f"news-{workers}.db") as archive:
            archive.ingest([str(scrape)], workers=workers, progress=False)
            stored.append({s.source: s.article.text for s in archive.iter_articles()})
    assert stored[0] == stored[1] and len(stored[0]) == 5
    for text in stored[0].values():
        assert not any(footer in text.split("\n\n") for footer in SITES[0].footer)
    inline = stored[0][f"{scrape}#5"]
    assert SITES[0].promo not in inline and pages[-1].truth["body"][0] in inline
    # without templates, the promo printed inside the body stays in it: the template is what removed it
    with Archive(tmp_path / "plain.db") as archive:
        archive.ingest(
            [str(scrape)], workers=0, progress=False, options=broadsheet.Options(site_templates=False)
        )
        plain = {s.source: s.article.text for s in archive.iter_articles()}
    assert SITES[0].promo in plain[f"{scrape}#5"]
