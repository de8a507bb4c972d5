"""Metadata of HTML pages: structured data, the visible page, and how they are reconciled.

Every page here is written by hand for the case it tests; none is copied from the web.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import broadsheet
from broadsheet.article import Article

BODY = (
    "<p>" + "The council met on Tuesday and voted on the new harbour plan after a long debate. " * 6 + "</p>"
)


def page(head: str = "", body: str = "", *, lang: str = "en", ld: object | None = None) -> str:
    """A small article page; ``ld`` becomes one JSON-LD block (a string is inserted as is)."""
    if ld is not None:
        raw = ld if isinstance(ld, str) else json.dumps(ld)
        head += f'<script type="application/ld+json">{raw}</script>'
    return f'<html lang="{lang}"><head>{head}</head><body><article>{body}{BODY}</article></body></html>'


def extract(html: str, **kw: str) -> Article:
    article = broadsheet.extract(html, kw.pop("url", "https://courier.example/news/harbour"), **kw)
    assert article.ok, article.error
    return article


# ---------------------------------------------------------------------------------- JSON-LD


def test_json_ld_graph_with_references_and_nested_people() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "#site", "name": "The Harbour Courier"},
            {"@type": "Person", "@id": "#jane", "name": "Jane Doe"},
            {
                "@type": ["NewsArticle"],
                "headline": "Council approves the harbour plan",
                "author": [{"@id": "#jane"}, {"@type": "Person", "name": "JOHN SMITH"}],
                "publisher": {"@type": "NewsMediaOrganization", "name": "The Harbour Courier"},
                "datePublished": "2024-03-05T09:30:00+01:00",
                "dateModified": "2024-03-06T10:00:00+01:00",
                "articleSection": ["Local", "Politics"],
                "keywords": ["harbour", "city council", "Port of Example"],
                "image": {
                    "@type": "ImageObject",
                    "url": "/img/harbour.jpg",
                    "caption": "The harbour at dawn",
                    "creditText": "Ann Lee",
                },
                "inLanguage": "en-GB",
            },
        ],
    }
    a = extract(page(ld=ld, body="<h1>Council approves the harbour plan</h1>"))
    assert a.title == "Council approves the harbour plan"
    assert a.authors == ["Jane Doe", "John Smith"]
    assert a.published == "2024-03-05T09:30:00+01:00"
    assert a.modified == "2024-03-06T10:00:00+01:00"
    assert a.section == "Local"
    assert a.tags == ["harbour", "city council", "Port of Example"]
    assert a.site_name == "The Harbour Courier"
    assert a.images[0].url == "https://courier.example/img/harbour.jpg"
    assert (a.images[0].caption, a.images[0].credit) == ("The harbour at dawn", "Ann Lee")


def test_broken_json_ld_is_repaired_or_skipped_never_raised() -> None:
    broken = """<!-- {"@type": "NewsArticle", "headline": "Repaired headline",
        "author": {"@type": "Person", "name": "Jane Doe",},
        "datePublished": "2024-03-05",} -->"""
    a = extract(page(ld=broken))
    assert a.title == "Repaired headline"
    assert a.authors == ["Jane Doe"]
    assert a.published == "2024-03-05"
    hopeless = page(ld='{"@type": "NewsArticle", "headline": "cut off', body="<h1>The visible headline</h1>")
    assert extract(hopeless).title == "The visible headline"


def test_conflicting_json_ld_blocks_pick_the_article() -> None:
    blocks = [
        {"@type": "WebPage", "name": "Harbour | Courier", "datePublished": "2001-01-01"},
        {
            "@type": "NewsArticle",
            "headline": "Council approves the harbour plan",
            "datePublished": "2024-03-05",
        },
        {"@type": "BreadcrumbList", "itemListElement": [{"position": 1, "name": "Home"}]},
    ]
    head = "".join(f'<script type="application/ld+json">{json.dumps(b)}</script>' for b in blocks)
    a = extract(page(head=head))
    assert a.title == "Council approves the harbour plan"
    assert a.published == "2024-03-05"


def test_organisation_author_only_when_no_person_is_named() -> None:
    ld = {
        "@type": "NewsArticle",
        "headline": "Storm closes the coast road",
        "author": {"@type": "Organization", "name": "The Harbour Courier"},
        "publisher": {"@type": "Organization", "name": "The Harbour Courier"},
    }
    a = extract(
        page(ld=ld, body='<div class="byline">By <a rel="author" href="/author/ann">Ann Lee</a></div>')
    )
    assert a.authors == ["Ann Lee"]
    agency = dict(ld, author={"@type": "Organization", "name": "Reuters"})
    assert extract(page(ld=agency)).authors == ["Reuters"]
    # the newsroom credit the page declares is kept when nobody else is named, even the site's own
    assert extract(page(ld=ld)).authors == ["The Harbour Courier"]
    # ... but a visible "author" box naming only the site is no byline
    body = '<span class="author">The Harbour Courier</span>'
    head = '<meta property="og:site_name" content="The Harbour Courier">'
    assert extract(page(head=head, body=body)).authors == []


# ---------------------------------------------------------------------------------- bad values


def test_absurd_and_future_dates_are_refused() -> None:
    ld = {"@type": "NewsArticle", "headline": "A story", "datePublished": "2203-01-01T00:00:00Z"}
    a = extract(page(ld=ld), fetched_at="2024-03-10")
    assert a.published is None
    future = dict(ld, datePublished="2024-05-01")
    assert extract(page(ld=future), fetched_at="2024-03-10").published is None
    ancient = dict(ld, datePublished="1899-05-01")
    assert extract(page(ld=ancient), fetched_at="2024-03-10").published is None


def test_a_refused_structured_date_gives_way_to_the_visible_one() -> None:
    ld = {"@type": "NewsArticle", "headline": "A story", "datePublished": "2203-01-01"}
    body = '<h1>A story</h1><p class="date">Published 5 March 2024</p>'
    assert extract(page(ld=ld, body=body), fetched_at="2024-03-10").published == "2024-03-05"


def test_names_that_are_sentences_or_widgets_are_not_authors() -> None:
    meta = '<meta name="author" content="This article was written by our team of experts.">'
    assert extract(page(head=meta)).authors == []
    body = '<h1>A story</h1><div class="author-box"><span class="author-name">View all posts by</span></div>'
    assert extract(page(body=body)).authors == []


def test_byline_labels_roles_and_dates_are_removed() -> None:
    body = (
        "<h1>Council approves the harbour plan</h1>"
        '<p class="byline">By JANE DOE and John Smith, Senior Reporter | 5 March 2024 | Email the author</p>'
    )
    assert extract(page(body=body)).authors == ["Jane Doe", "John Smith"]


def test_byline_that_is_a_section_or_the_site_is_dropped() -> None:
    head = '<meta property="og:site_name" content="Harbour Courier"><meta property="article:section" content="Politics">'
    body = '<h1>Council approves the harbour plan</h1><span class="byline">Politics</span>'
    assert extract(page(head=head, body=body)).authors == []
    body = '<h1>Council approves the harbour plan</h1><span class="author">Harbour Courier</span>'
    assert extract(page(head=head, body=body)).authors == []


def test_the_site_declared_as_author_is_kept_when_nobody_else_is_named() -> None:
    head = '<meta property="og:site_name" content="Ann Lee"><meta name="author" content="Ann Lee">'
    body = "<h1>How I learned to bake bread</h1>"
    assert extract(page(head=head, body=body), url="https://annlee.example/blog/bread").authors == ["Ann Lee"]
    # a company's blog signed "By" the company
    head = '<meta property="og:site_name" content="Harbour Tools">'
    body = "<h1>Choosing a saw</h1><p>By Harbour Tools</p>"
    assert extract(page(head=head, body=body)).authors == ["Harbour Tools"]
    # ... while a writer named elsewhere wins over it
    body = '<h1>Choosing a saw</h1><p>By Harbour Tools</p><span class="author">Jo Ray</span>'
    assert extract(page(head=head, body=body)).authors == ["Jo Ray"]


def test_a_writer_declared_in_lower_case_is_read_as_a_name() -> None:
    body = "<h1>Choosing a saw</h1>"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "author": {"@type": "Person", "name": "ann lee"},
    }
    assert extract(page(body=body, ld=ld)).authors == ["Ann Lee"]
    assert extract(page(head='<meta name="author" content="jo van ray">', body=body)).authors == [
        "Jo van Ray"
    ]
    # a phrase in lower case is no more a name for it
    assert extract(page(head='<meta name="author" content="staff writer">', body=body)).authors == []


def test_the_site_declared_as_author_keeps_the_words_a_byline_would_lose() -> None:
    # "Expert" and "On" end many bylines as a role or before a date; in the site's own name they are the name
    for site, host in (("Harbour Travel Expert", "harbourtravelexpert"), ("Audiophile On", "audiophileon")):
        head = f'<meta property="og:site_name" content="{site}"><meta name="author" content="{site}">'
        body = f'<h1>Choosing a saw</h1><p class="byline">By {site}</p>'
        url = f"https://www.{host}.example/saws"
        assert extract(page(head=head, body=body), url=url).authors == [site]
    # the site's shorter name declared as the author stays as declared
    head = '<meta property="og:site_name" content="Harbour Expert"><meta name="author" content="Harbour">'
    body = '<h1>Choosing a saw</h1><p class="byline">By Harbour</p>'
    assert extract(page(head=head, body=body), url="https://harbour.example/saws").authors == ["Harbour"]


def test_reviewers_editors_and_contributors_are_not_the_writers() -> None:
    h1 = "<h1>Choosing a saw</h1>"
    body = h1 + '<p class="byline">By Ann Lee, MD. Reviewed by <a class="author">Jo Ray, DVM</a></p>'
    assert extract(page(body=body)).authors == ["Ann Lee"]
    body = h1 + (
        '<div class="byline">By <a href="/author/ann">Ann Lee</a></div>'
        '<div class="credits">Contributions From: <a href="/author/jo">Jo Ray</a>, '
        '<a href="/author/al">Al Day</a> &amp; <a href="/author/bo">Bo Kim</a></div>'
    )
    assert extract(page(body=body)).authors == ["Ann Lee"]
    body = h1 + (
        '<div class="meta"><span class="author">Ann Lee</span></div>'
        '<div class="check"><div>Fact-checked by</div><a><div class="author-name">Jo Ray</div></a></div>'
    )
    assert extract(page(body=body)).authors == ["Ann Lee"]
    # the editor the JSON-LD declares as the author gives way to the writer the page prints
    ld = {
        "@type": "NewsArticle",
        "headline": "Choosing a saw",
        "author": {"@type": "Person", "name": "Jo Ray"},
    }
    body = (
        h1
        + '<div class="author">Ann Lee</div><div class="info-author">Editor : <a class="author">Jo Ray</a></div>'
    )
    assert extract(page(ld=ld, body=body)).authors == ["Ann Lee"]
    # ... but an editor who also signs the story stays its author
    body = h1 + '<div class="author">Jo Ray</div><p>Edited by <strong>Jo Ray</strong></p>'
    assert extract(page(ld=ld, body=body)).authors == ["Jo Ray"]
    # a certification mark after the name is no second author
    ld = dict(ld, author={"@type": "Person", "name": "Ann Lee, CEPF®"})
    assert extract(page(ld=ld)).authors == ["Ann Lee"]


def test_a_chinese_portal_credits_its_story_in_brackets_at_the_end() -> None:
    text = "市议会周二就港口新规划进行了长时间辩论并投票通过。" * 12
    body = f"<h1>港口新规划获批</h1><p>{text}</p><p>{text}</p><div class='edit'>(责编：王小明、李华)</div>"
    assert extract(page(body=body, lang="zh")).authors == ["王小明", "李华"]
    body = f"<h1>港口新规划获批</h1><p>{text}</p><p>【纠错】 责任编辑： 张伟</p>"
    assert extract(page(body=body, lang="zh")).authors == ["张伟"]


def test_a_declared_login_gives_way_to_the_full_name_the_page_prints() -> None:
    body = '<h1>Choosing a saw</h1><span class="author-name">Ann Lee</span>'
    for login in ("annlee", "ann.lee", "AnnL", "admin", "editor42"):
        head = f'<meta name="author" content="{login}">'
        assert extract(page(head=head, body=body)).authors == ["Ann Lee"]
    # a one-word name is no login, and a login stays when the page prints no full name
    head = '<meta name="author" content="Tine">'
    assert extract(page(head=head, body=body)).authors == ["Tine"]
    head = '<meta name="author" content="annlee">'
    assert extract(page(head=head, body="<h1>Choosing a saw</h1>")).authors == ["annlee"]
    # in a forum's thread the poster's login is the name, whatever the post's box prints
    ld = {
        "@type": "DiscussionForumPosting",
        "headline": "Which saw?",
        "author": {"@type": "Person", "name": "woodfan"},
    }
    body = '<h1>Which saw?</h1><span class="author-info">Year Member Joined</span>'
    assert extract(page(ld=ld, body=body)).authors == ["woodfan"]


def test_the_title_printed_under_the_name_is_no_second_writer() -> None:
    body = (
        '<h1>Choosing a saw</h1><div class="author-box"><div class="author-name">Ann Lee</div>'
        '<div class="author-title">Harbour Tools Content writer</div></div>'
    )
    assert extract(page(body=body)).authors == ["Ann Lee"]


def test_a_german_article_by_line_and_an_interview_label() -> None:
    body = "<h1>Sitzen ohne Poltern</h1><div class='metaInfo'>Ein Artikel von <b>Anna Müller</b> | 27.01.2022</div>"
    assert extract(page(body=body, lang="de"), fetched_at="2024-03-10").authors == ["Anna Müller"]
    body = "<h1>Sitzen ohne Poltern</h1><p><a class='author-link'>Interview: Anna Müller</a></p>"
    assert extract(page(body=body, lang="de")).authors == ["Anna Müller"]


def test_the_newsroom_beside_a_person_is_not_an_author() -> None:
    head = '<meta property="og:site_name" content="MDR">'
    body = '<h1>Council approves the harbour plan</h1><span class="byline">Jane Doe, MDR THÜRINGEN</span>'
    assert extract(page(head=head, body=body), url="https://www.mdr.de/news/a").authors == ["Jane Doe"]
    body = '<h1>Council approves the harbour plan</h1><span class="byline">Jane Doe MDR, John Smith</span>'
    assert extract(page(head=head, body=body), url="https://www.mdr.de/news/a").authors == [
        "Jane Doe",
        "John Smith",
    ]


def test_unmarked_bylines_near_the_headline() -> None:
    body = "<h1>Variables and where they live</h1><p>11.12.2019 - Amelie Loevenich</p>"
    assert extract(page(body=body), fetched_at="2024-03-10").authors == ["Amelie Loevenich"]
    body = "<h1>Variables and where they live</h1><p><span>By </span><span>Daryl Austin</span></p>"
    assert extract(page(body=body)).authors == ["Daryl Austin"]
    body = "<h1>Variables and where they live</h1>" + BODY + "<h3>Written by</h3><p>Ann Lee</p>"
    assert extract(page(body=body)).authors == ["Ann Lee"]


def test_the_site_as_meta_author_gives_way_to_an_author_field_of_the_facts_list() -> None:
    head = '<meta name="author" content="Harbour Courier (www.courier.example)">'
    facts = (
        "<ul><li><strong>Datum</strong> 28.04.2023</li><li><strong>Autorin/Autor</strong> Ann Lee</li></ul>"
    )
    body = "<h1>Council approves the harbour plan</h1>" + BODY + BODY + facts
    assert extract(page(head=head, body=body), fetched_at="2024-03-10").authors == ["Ann Lee"]
    assert extract(page(head=head, body="<h1>Harbour plan</h1>")).authors == []


def test_json_ld_writers_with_their_agency_all_of_them_and_a_newsroom_declared_a_person() -> None:
    def ld(*authors: dict[str, str]) -> str:
        article = {"@type": "NewsArticle", "headline": "Harbour plan", "author": list(authors)}
        return f'<script type="application/ld+json">{json.dumps(article)}</script>'

    ann, jo = {"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Jo Ray"}
    agency = {"@type": "Organization", "name": "Deutsche Presse-Agentur"}
    assert extract(page(head=ld(ann, agency))).authors == ["Ann Lee", "Deutsche Presse-Agentur"]
    assert extract(page(head=ld(ann) + ld(ann, jo))).authors == ["Ann Lee", "Jo Ray"]
    head = '<meta property="og:site_name" content="HARBOUR online">'
    assert extract(page(head=head + ld({"@type": "Person", "name": "HARBOUR online"}))).authors == [
        "HARBOUR online"
    ]


def test_a_thread_is_by_its_first_poster_not_by_everyone_who_replied() -> None:
    def post(name: str) -> str:
        return (
            '<div itemscope itemtype="https://schema.org/Comment"><span itemprop="author" itemscope '
            f'itemtype="https://schema.org/Person"><span itemprop="name">{name}</span></span>{BODY}</div>'
        )

    body = "<h1>Which saw for a beginner?</h1>" + "".join(post(n) for n in ["woodfan", "sawyer", "woodfan"])
    assert extract(page(body=body)).authors == ["woodfan"]
    byline = '<p>By <span itemprop="author">Ann Lee</span> and <span itemprop="author">Jo Ray</span></p>'
    assert extract(page(body="<h1>Harbour plan</h1>" + byline)).authors == ["Ann Lee", "Jo Ray"]


def test_comment_authors_are_not_the_byline() -> None:
    body = (
        "<h1>Council approves the harbour plan</h1>"
        '<div class="comments"><span class="comment-author">Troll Person</span></div>'
    )
    assert extract(page(body=body)).authors == []


def test_a_meta_tag_may_carry_several_rdfa_properties() -> None:
    head = (
        '<meta property="og:title twitter:title" content="Council approves the harbour plan">'
        '<meta property="dc:description og:description" content="A vote on the docks">'
    )
    a = extract(page(head=head))
    assert a.title == "Council approves the harbour plan"
    assert a.description == "A vote on the docks"  # og:description, named second in the list
    # a name with a space that is not a list of properties stays one name
    a = extract(page(head='<meta name="twitter:misc:Written by" content="John Smith">'))
    assert a.authors == ["John Smith"]


# ---------------------------------------------------------------------------------- title


def test_site_name_is_removed_from_the_title() -> None:
    head = (
        '<meta property="og:site_name" content="The Harbour Courier">'
        '<meta property="og:title" content="Council approves the harbour plan | The Harbour Courier">'
    )
    assert extract(page(head=head)).title == "Council approves the harbour plan"
    head = "<title>Council approves the harbour plan - Harbour Courier</title>"
    assert extract(page(head=head), url="https://harbourcourier.example/a").title == (
        "Council approves the harbour plan"
    )


def test_kicker_inside_the_headline_is_not_the_title() -> None:
    head = '<meta property="og:title" content="Harbour: Council approves the plan">'
    body = '<h1><span class="kicker">Harbour</span> <span>Council approves the plan</span></h1>'
    assert extract(page(head=head, body=body)).title == "Council approves the plan"


def test_the_separator_after_a_kicker_goes_with_the_kicker() -> None:
    body = (
        '<h1><span class="overline">Harbour</span><span class="offscreen"> - </span>'
        "<span>«Council approves the plan»</span></h1>"
    )
    assert extract(page(body=body)).title == "«Council approves the plan»"


def test_kicker_that_the_headline_continues_with_a_colon_is_kept() -> None:
    body = '<h1><span class="kicker">Harbour vote</span><span>: Council approves the plan</span></h1>'
    assert extract(page(body=body)).title == "Harbour vote: Council approves the plan"


def test_a_date_in_front_of_the_headline_and_a_dangling_separator_are_not_the_title() -> None:
    assert extract(page(body="<h1>23.01.2024 - Council approves the harbour plan</h1>")).title == (
        "Council approves the harbour plan"
    )
    assert extract(page(head="<title>Council approves the harbour plan -</title>")).title == (
        "Council approves the harbour plan"
    )
    assert extract(page(body="<h1>– Vi er klare</h1>")).title == "– Vi er klare"  # a quote dash stays


def test_the_title_is_in_composed_unicode() -> None:
    # "e" + a combining acute accent is the same letter as "é"
    assert extract(page(body="<h1>Cafe\u0301 owners approve the harbour plan</h1>")).title == (
        "Café owners approve the harbour plan"
    )


def test_a_curly_quote_double_encoded_by_the_site_is_repaired() -> None:
    # "’" as UTF-8 bytes read as Latin-1 and encoded again: "â" and two C1 controls
    mangled = "’".encode().decode("latin-1")
    assert extract(page(body=f"<h1>The harbour{mangled}s new cranes arrive</h1>")).title == (
        "The harbour’s new cranes arrive"
    )


def test_itemprop_headline_on_the_h1_itself_is_no_second_declaration() -> None:
    # og:title leaves out the kicker the <h1> prints; marking the <h1> as the microdata headline
    # does not make the kicker part of the headline
    head = '<meta property="og:title" content="Council approves the harbour plan">'
    for attr in ("", ' itemprop="headline"'):
        body = f"<h1{attr}><small>Harbour</small><br> Council approves the harbour plan</h1>"
        assert extract(page(head=head, body=body)).title == "Council approves the harbour plan"
    # a microdata headline declared apart from the heading still confirms it
    head = '<meta property="og:title" content="Council approves the harbour plan">'
    body = (
        '<meta itemprop="headline" content="Tonight: Council approves the harbour plan">'
        "<h1>Tonight: Council approves the harbour plan</h1>"
    )
    assert extract(page(head=head, body=body)).title == "Tonight: Council approves the harbour plan"


def test_korean_pipe_separates_the_site_name() -> None:
    head = '<meta property="og:site_name" content="항구일보"><title>의회, 항구 계획 승인ㅣ항구일보</title>'
    assert extract(page(head=head)).title == "의회, 항구 계획 승인"


def test_json_ld_name_wins_when_the_headline_is_a_description() -> None:
    ld = {"@type": "Article", "name": "Harbour plan", "headline": "city project to rebuild the old docks"}
    head = "<title>Harbour plan - Courier Wiki</title>"
    assert extract(page(head=head, ld=ld, body="<h1>Harbour plan</h1>")).title == "Harbour plan"


def test_visible_headline_wins_over_a_different_seo_title() -> None:
    head = '<meta property="og:title" content="Harbour plan: everything you need to know in 2024">'
    body = "<h1>Council approves the harbour plan after a long night</h1>"
    assert extract(page(head=head, body=body)).title == "Council approves the harbour plan after a long night"


def test_a_declared_title_that_is_the_headlines_start_gives_way_to_the_whole_headline() -> None:
    # the SEO title is the headline shortened; what the headline prints after it is part of it
    head = '<meta property="og:title" content="Council approves the harbour plan">'
    body = "<h1>Council approves the harbour plan: what changes for the docks</h1>"
    assert (
        extract(page(head=head, body=body)).title
        == "Council approves the harbour plan: what changes for the docks"
    )
    # ... unless it is set off by a separator or a date (a site, a section, a day stuck on)
    for tail in (" | Harbour Blog", " 02.02.2024 • Local", " (courier.example) 87"):
        body = f"<h1>Council approves the harbour plan{tail}</h1>"
        assert extract(page(head=head, body=body)).title == "Council approves the harbour plan"


def test_a_masthead_heading_named_in_the_page_title_is_not_the_headline() -> None:
    # a blog without og:site_name: <title> = "Blog Name: Post title", og:title = the post title
    head = (
        "<title>Harbour Notes: Rebuilding the old dock cranes</title>"
        '<meta property="og:title" content="Rebuilding the old dock cranes">'
    )
    html = (
        f"<html><head>{head}</head><body><header><h1>Harbour Notes</h1></header>"
        f"<article><h3>Part one</h3>{BODY}</article></body></html>"
    )
    assert extract(html).title == "Rebuilding the old dock cranes"
    # the name found beside the title in <title> still leaves a writer of that name alone
    byline = '<meta name="author" content="Harbour Notes">'
    assert extract(html.replace("<title>", byline + "<title>")).authors == ["Harbour Notes"]
    # a name in brackets at the end of <title> is the site's too, a masthead with a word more as well
    html = (
        "<html><head><title>Rebuilding the old dock cranes [Harbour Notes]</title></head><body>"
        f"<header><h1>Harbour Notes beta</h1></header><article>{BODY}</article></body></html>"
    )
    assert extract(html).title == "Rebuilding the old dock cranes [Harbour Notes]"


def test_a_headline_printed_as_declared_keeps_a_part_that_looks_like_the_site() -> None:
    # the host is harbourplan24: "Harbour plan" reads as the site's name, but the <h1> prints it
    head = '<meta property="og:title" content="Harbour plan – what the council decided">'
    body = "<h1>Harbour plan – what the council decided</h1>"
    url = "https://harbourplan24.example/a"
    assert extract(page(head=head, body=body), url=url).title == "Harbour plan – what the council decided"
    # ... but the site's declared name printed after the headline is still no part of it
    head = (
        '<meta property="og:site_name" content="Harbour Notes">'
        '<meta property="og:title" content="Rebuilding the old dock cranes – Harbour Notes">'
    )
    body = "<h1>Rebuilding the old dock cranes – Harbour Notes</h1>"
    assert extract(page(head=head, body=body)).title == "Rebuilding the old dock cranes"


def test_a_heading_that_only_links_home_is_the_masthead_and_names_the_site() -> None:
    # a blog's name set in <h1> as a link to its home page; <title> prints it after the headline
    html = (
        "<html><head><title>Rebuilding the old dock cranes | Harbour Notes</title></head><body>"
        '<div id="header"><h1><a href="https://notes.example/">Harbour Notes</a></h1></div>'
        f"<article><h2>Rebuilding the old dock cranes</h2>{BODY}</article></body></html>"
    )
    assert extract(html, url="https://notes.example/2024/cranes").title == "Rebuilding the old dock cranes"
    # a masthead with two parts names the site with both ("Section - Site" printed in <title>)
    html = html.replace("Harbour Notes</a>", "Dock Works - Harbour Notes</a>").replace(
        "| Harbour Notes</title>", "- Dock Works - Harbour Notes</title>"
    )
    assert extract(html, url="https://notes.example/2024/cranes").title == "Rebuilding the old dock cranes"
    # a headline that links to the article itself is still the headline
    html = (
        "<html><head><title>Harbour Notes: the cranes</title></head><body>"
        '<h1><a href="https://notes.example/2024/cranes">Rebuilding the old dock cranes</a></h1>'
        f"<article>{BODY}</article></body></html>"
    )
    assert extract(html, url="https://notes.example/2024/cranes").title == "Rebuilding the old dock cranes"


def test_a_heading_that_agrees_only_with_the_page_title_gives_way_to_the_declared_headline() -> None:
    # <title> names the listing ("News - Site"), og:title the article under it
    head = (
        '<meta property="og:site_name" content="Harbour Courier"><title>News - Harbour Courier</title>'
        '<meta property="og:title" content="Council approves the plan">'
    )
    body = "<h1>News</h1><h1>Council approves the plan</h1>"
    assert extract(page(head=head, body=body)).title == "Council approves the plan"


def test_a_heading_that_is_a_fragment_of_the_declared_title_does_not_win_over_the_headline() -> None:
    # a second heading agrees with og:title only as a fragment of it; the first agrees with <title>
    head = (
        "<title>Harbour plan flagged - Courier</title>"
        '<meta property="og:title" content="Dock workers concerned about the harbour plan">'
    )
    body = "<h1>Harbour plan flagged</h1><h1>… dock workers concerned</h1>"
    assert extract(page(head=head, body=body)).title == "Harbour plan flagged"


def test_a_later_heading_marked_as_the_headline_does_not_leap_over_the_first() -> None:
    # the second part of a two-line headline carries itemprop="headline"; the first agrees with og:title
    head = '<meta property="og:site_name" content="Courier"><meta property="og:title" content="Harbour plan flagged - Courier">'
    body = '<h1>Harbour plan flagged</h1><h1 itemprop="headline">… dock workers concerned</h1>'
    assert extract(page(head=head, body=body)).title == "Harbour plan flagged"


def test_without_an_h1_an_h2_that_agrees_with_the_declared_title_is_the_headline() -> None:
    head = '<meta property="og:title" content="The harbour plan explained (2024/5)">'
    assert extract(page(head=head, body="<h2>The harbour plan explained</h2>")).title == (
        "The harbour plan explained"
    )
    # an <h2> that agrees with no title, or says more than it, is a section heading
    assert extract(page(head=head, body="<h2>Related stories</h2>")).title == (
        "The harbour plan explained (2024/5)"
    )
    head = '<meta property="og:title" content="Harbour cranes">'
    body = "<h2>An introduction to harbour cranes of the world</h2>"
    assert extract(page(head=head, body=body)).title == "Harbour cranes"


def test_a_headline_spelled_with_marks_around_the_declared_words_gives_the_plain_spelling() -> None:
    for printed in ("Logging the harbour plan¶", "[> Logging the harbour plan"):
        html = page(head="<title>Logging the harbour plan</title>", body=f"<h1>{printed}</h1>")
        assert extract(html).title == "Logging the harbour plan"
    # ... but the question mark or full stop that ends the headline is its own
    html = page(head="<title>Is the harbour plan next</title>", body="<h1>Is the harbour plan next?</h1>")
    assert extract(html).title == "Is the harbour plan next?"


def test_a_paragraph_set_in_h1_is_not_the_headline() -> None:
    head = '<meta property="og:title" content="Ten harbour projects that paid off | Courier">'
    teaser = "Learn which harbour projects paid off and why " * 5
    assert extract(page(head=head, body=f"<h1>{teaser}</h1>")).title == "Ten harbour projects that paid off"


def test_a_declared_copy_of_the_page_title_loses_the_brand_after_the_pipe() -> None:
    head = (
        "<title>The complete dock maintenance checklist | Harbour Tools</title>"
        '<meta property="og:title" content="The complete dock maintenance checklist | Harbour Tools">'
    )
    assert extract(page(head=head)).title == "The complete dock maintenance checklist"


def test_a_declared_title_that_is_the_site_name_leaves_the_headline_alone() -> None:
    head = (
        '<meta property="og:site_name" content="Harbour Notes"><meta name="twitter:title" content="Harbour Notes">'
        "<title>Rebuilding the old dock cranes - Harbour Notes</title>"
    )
    html = f"<html><head>{head}</head><body><article><h1>Rebuilding the old dock cranes</h1>{BODY}</article></body></html>"
    assert extract(html).title == "Rebuilding the old dock cranes"


def test_a_byline_read_twice_with_the_words_after_the_name_gives_the_name_once() -> None:
    body = (
        "<h1>Council approves the harbour plan</h1>"
        '<div class="byline"><span class="author">Jane Doe</span> Harbour Desk</div>'
        '<div class="byline">By Jane Doe</div>'
    )
    assert extract(page(body=body)).authors == ["Jane Doe"]


def test_bylines_of_other_days_after_the_first_are_other_stories() -> None:
    body = (
        "<h1>Council approves the harbour plan</h1>"
        '<div class="byline">March 5, 2024 Jane Doe</div>'
        '<div class="byline">March 1, 2024 John Roe and Ann Lee</div>'
    )
    assert extract(page(body=body)).authors == ["Jane Doe"]
    body = body.replace("March 1,", "March 5,")  # one day: the same story's writers
    assert extract(page(body=body)).authors == ["Jane Doe", "John Roe", "Ann Lee"]


# ---------------------------------------------------------------------------------- dates


def test_updated_line_is_modified_not_published() -> None:
    body = (
        "<h1>A story</h1>"
        '<p><time class="published" datetime="2024-03-05T08:00:00+01:00">5 March</time></p>'
        '<p><span class="updated-date">Updated 7 March 2024</span></p>'
    )
    a = extract(page(body=body), fetched_at="2024-03-10")
    assert a.published == "2024-03-05T08:00:00+01:00"
    assert a.modified == "2024-03-07"


def test_utc_timestamp_gives_way_to_the_page_local_day() -> None:
    ld = {"@type": "NewsArticle", "headline": "Late news", "datePublished": "2024-03-05T23:30:00Z"}
    body = '<h1>Late news</h1><time class="date">6 March 2024</time>'
    assert extract(page(ld=ld, body=body), fetched_at="2024-03-10").published == "2024-03-06"
    # a date written as midnight UTC is that day, whatever day a nearby date shows
    ld = dict(ld, datePublished="2024-03-06T00:00:00Z")
    body = '<h1>Late news</h1><time class="date">5 March 2024</time>'
    assert (extract(page(ld=ld, body=body), fetched_at="2024-03-10").published or "")[:10] == "2024-03-06"


def test_a_utc_timestamp_gives_way_to_the_day_its_url_spells() -> None:
    ld = {"@type": "NewsArticle", "headline": "Late news", "datePublished": "2024-03-06T03:30:00Z"}
    body = "<h1>Late news</h1>"
    url = "https://courier.example/2024/03/05/late-news/"
    assert extract(page(ld=ld, body=body), url=url, fetched_at="2024-03-10").published == "2024-03-05"
    # 11:00 UTC is the day before nowhere (UTC-12 at most): the URL names another day, the timestamp stays
    ld = dict(ld, datePublished="2024-03-06T13:00:00Z")
    assert (
        extract(page(ld=ld, body=body), url=url, fetched_at="2024-03-10").published
        == "2024-03-06T13:00:00+00:00"
    )


def test_a_date_under_the_headline_in_a_story_layout_named_like_a_rail() -> None:
    # (more words than an unmarked dateline has, so only the date element can give it)
    line = "Published on {} by the newsroom of the Courier in Springfield, as the news came in"
    story = f'<div class="story-page sidebar-mode"><h1>A story</h1><div class="story-date">{line.format("May 31, 2024")}</div></div>'
    html = f"<html><head></head><body>{story}{BODY}</body></html>"
    assert extract(html, fetched_at="2024-06-10").published == "2024-05-31"
    # the same box beside the story, not holding its headline, is a rail of other articles
    rail = f'<div class="sidebar"><div class="story-date">{line.format("May 30, 2024")}</div></div>'
    paragraphs = "".join(
        f"<p>Paragraph {i} of the story, long enough to be read as prose here.</p>" for i in range(10)
    )
    html = f"<html><head></head><body><h1>A story</h1>{paragraphs}{rail}{BODY}</body></html>"
    assert extract(html, fetched_at="2024-06-10").published is None


def test_english_region_from_xml_lang_or_the_host_reads_slashes_day_first() -> None:
    body = '<h1>A story</h1><span class="time">02/10/2020</span>'
    html = f'<html xml:lang="en-GB"><head></head><body>{body}{BODY}</body></html>'
    assert extract(html, fetched_at="2020-12-01").published == "2020-10-02"
    html = f'<html lang="en"><head></head><body>{body}{BODY}</body></html>'
    assert (
        extract(html, url="https://courier.example.co.uk/news/a", fetched_at="2020-12-01").published
        == "2020-10-02"
    )
    assert (
        extract(html, url="https://courier.example/news/a", fetched_at="2020-12-01").published == "2020-02-10"
    )


def test_rdfa_dates_on_any_element_and_prefixed_names() -> None:
    body = '<h1>A story</h1><span property="dc:date dc:created" content="2024-03-05T12:45:46+00:00"></span>'
    assert extract(page(body=body), fetched_at="2024-03-10").published == "2024-03-05T12:45:46+00:00"
    # a rarely used name yields to the date the page prints
    head = '<meta name="og:article:published_time" content="2024-02-15">'
    body = '<h1>A story</h1><time datetime="2024-02-25">25.02.2024</time>'
    assert extract(page(head=head, body=body, lang="de"), fetched_at="2024-03-10").published == "2024-02-25"


@pytest.mark.parametrize(
    ("declared", "modified", "shown", "day"),
    [
        # 09:00 UTC is the next day nowhere (UTC+14 at most): the printed day is another date
        ("2024-03-05T09:00:00Z", None, "6 March 2024", "2024-03-05"),
        ("2024-03-05T11:00:00Z", None, "6 March 2024", "2024-03-06"),
        ("2024-03-05T03:00:00Z", None, "4 March 2024", "2024-03-04"),
        # a printed time with its offset: the same instant is the local day, another is another event
        ("2024-03-05T23:30:00Z", None, "2024-03-06T00:30:00+01:00", "2024-03-06"),
        ("2024-03-05T17:00:00Z", None, "2024-03-06T11:00:00+00:00", "2024-03-05"),
        # a printed time without an offset must differ from UTC by a zone's offset
        ("2024-03-05T23:30:00Z", None, "2024-03-06T01:30", "2024-03-06"),
        (
            "2024-03-06T01:09:55Z",
            "2024-03-06T01:09:55Z",
            "2024-03-05T18:09",
            "2024-03-05",
        ),  # no seconds printed
        ("2024-03-05T23:30:00Z", None, "2024-03-06T01:47", "2024-03-05"),
    ],
)
def test_the_local_day_is_the_same_moment(declared: str, modified: str | None, shown: str, day: str) -> None:
    ld = {"@type": "NewsArticle", "headline": "Late news", "datePublished": declared}
    if modified:
        ld["dateModified"] = modified
    value = f'datetime="{shown}"' if "T" in shown else ""
    body = f'<h1>Late news</h1><time class="date" {value}>{shown}</time>'
    assert (extract(page(ld=ld, body=body), fetched_at="2024-03-10").published or "")[:10] == day


def test_microdata_dates_of_a_list_of_other_articles_are_not_the_articles() -> None:
    item = '<div itemscope itemtype="https://schema.org/Article"><meta itemprop="datePublished" content="{}"></div>'
    head = '<meta name="published" content="March 5, 2024">'
    rail = item.format("2024-03-08") + item.format("2024-03-09")
    a = extract(page(head=head, body="<h1>A story</h1>" + rail), fetched_at="2024-03-10")
    assert a.published == "2024-03-05"
    # one item, or items agreeing on the day: the microdata is the article's
    a = extract(page(head=head, body="<h1>A story</h1>" + item.format("2024-03-04")), fetched_at="2024-03-10")
    assert a.published == "2024-03-04"


def test_a_printed_date_read_against_the_url_that_spells_it() -> None:
    body = '<h1>A story</h1><span class="post-date">03/10/2023</span>'
    url = "https://courier.example/blog/2023/october/03/a-story/"
    assert extract(page(body=body), url=url, fetched_at="2024-03-10").published == "2023-10-03"
    url = "https://courier.example/blog/2023/03/10/a-story/"
    assert extract(page(body=body), url=url, fetched_at="2024-03-10").published == "2023-03-10"


def test_unmarked_dateline_and_url_date() -> None:
    body = "<h1>A story about the harbour</h1><p>5. März 2024</p>"
    assert extract(page(body=body, lang="de"), fetched_at="2024-03-10").published == "2024-03-05"
    url = "https://courier.example/2024/03/04/harbour-story/"
    assert extract(page(body="<h1>A story</h1>"), url=url, fetched_at="2024-03-10").published == "2024-03-04"


def test_a_date_opening_the_first_paragraph_is_a_dateline() -> None:
    lead = "<p>29.02.2024 – Der Stadtrat hat am Dienstag nach langer Debatte den Hafenplan beschlossen.</p>"
    html = page(body="<h1>Der Hafenplan</h1>" + lead, lang="de")
    assert (
        extract(html, url="https://courier.example/hafen", fetched_at="2024-03-10").published == "2024-02-29"
    )
    # a date inside the sentence is no dateline
    later = (
        "<p>Der Stadtrat hat am 29.02.2024 nach einer sehr langen und hitzigen Debatte über die Zukunft "
        "des alten Hafens den neuen Hafenplan beschlossen.</p>"
    )
    html = page(body="<h1>Der Hafenplan</h1>" + later, lang="de")
    assert extract(html, url="https://courier.example/hafen", fetched_at="2024-03-10").published is None


def test_a_two_digit_year_date_is_read_where_it_ends_a_date_or_a_byline_line() -> None:
    story = "<p>Der Stadtrat hat nach langer Debatte den Hafenplan beschlossen.</p>"
    for mark in ('<div class="date">Hafen, 30.10.23</div>', "<div>Von: Ann Lee | 31.10.23</div>"):
        html = page(body="<h1>Der Hafenplan</h1>" + mark + story, lang="de")
        got = extract(html, url="https://courier.example/hafen", fetched_at="2024-03-10").published
        assert got == ("2023-10-30" if "date" in mark else "2023-10-31")
    # a number that opens a line (a chapter) or a date inside another story's link is not the page's date
    for line in (
        "<div>14.11.12 Error-correcting conditions</div>",
        '<div><a href="/x">Am 01.07.17 (Podcast)</a></div>',
    ):
        html = page(body="<h1>Der Hafenplan</h1>" + line + story, lang="de")
        assert extract(html, url="https://courier.example/hafen", fetched_at="2024-03-10").published is None
    # a four-digit date elsewhere still wins: the short form is the last resort
    html = page(
        body='<h1>Der Hafenplan</h1><div class="date">Hafen, 30.10.23</div><p>5. März 2024</p>' + story
    )
    assert (
        extract(html, url="https://courier.example/hafen", fetched_at="2024-03-10").published == "2024-03-05"
    )


# ---------------------------------------------------------------------------------- the rest


def test_microdata_is_read() -> None:
    body = (
        '<div itemscope itemtype="https://schema.org/NewsArticle">'
        '<h1 itemprop="headline">Harbour plan passes</h1>'
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<span itemprop="name">Ann Lee</span></span>'
        '<meta itemprop="datePublished" content="2024-03-05">'
        "</div>"
    )
    a = extract(page(body=body))
    assert (a.title, a.authors, a.published) == ("Harbour plan passes", ["Ann Lee"], "2024-03-05")


def test_a_blog_posts_microdata_is_the_articles() -> None:
    # Blogger: the post is the Blog's "blogPost" item, its time an hAtom <abbr> whose title is machine-readable;
    # the category and tag elements print their label before the value
    post = (
        '<div itemscope itemtype="http://schema.org/Blog">'
        '<div class="post hentry" itemprop="blogPost" itemscope itemtype="http://schema.org/BlogPosting">'
        "<h3>Harbour plan passes</h3>"
        '<abbr class="published" itemprop="datePublished" title="2024-03-05T10:52:00+01:00">10:52</abbr>'
        f"{BODY}"
        '<span itemprop="articleSection">Posted in Local</span>'
        '<span itemprop="keywords">Tagged harbour, council</span>'
        "</div></div>"
    )
    a = extract(f"<html><body>{post}</body></html>", fetched_at="2024-03-10")
    assert (a.published, a.section, a.tags) == ("2024-03-05T10:52:00+01:00", "Local", ["harbour", "council"])
    # an <abbr> that holds no date gives its text, and a value that only starts like a label stays whole
    other = page(body='<h1>A story</h1><abbr itemprop="articleSection" title="Local News">Local</abbr>')
    assert extract(other).section == "Local"
    tagging = page(body='<h1>A story</h1><span itemprop="articleSection">Tagging guide</span>')
    assert extract(tagging).section == "Tagging guide"


def test_tags_section_canonical_and_language() -> None:
    head = (
        '<meta property="article:tag" content="city council"><meta property="article:tag" content="harbour">'
        '<link rel="canonical" href="/news/harbour-plan">'
    )
    body = '<h1>Harbour plan</h1><nav class="breadcrumb"><a href="/">Home</a><a href="/local">Local News</a></nav>'
    a = extract(page(head=head, body=body, lang="de-AT"))
    assert a.tags == ["city council", "harbour"]
    assert a.section == "Local News"
    assert a.canonical_url == "https://courier.example/news/harbour-plan"
    assert a.language == "de"


def test_a_tag_list_in_the_posts_own_footer_is_read_but_not_one_in_the_sites() -> None:
    tags = '<span class="tags-links">Tags <a href="/tag/harbour" rel="tag">harbour</a>, <a href="/tag/council" rel="tag">council</a></span>'
    post = f'<footer class="entry-footer">{tags}</footer>'
    html = page(body="<h1>Harbour plan</h1>" + BODY + post)
    assert extract(html).tags == ["harbour", "council"]
    # Blogger: no <article>, the labels in the post's footer line
    blog = f'<div class="post hentry"><h1>Harbour plan</h1>{BODY}<div class="post-footer-line">{tags}</div></div>'
    assert extract(f"<html><body>{blog}</body></html>").tags == ["harbour", "council"]
    # the site's footer and a widget of popular tags are no post's tags
    site = f'<html><body><div class="post"><h1>Harbour plan</h1>{BODY}</div><footer id="colophon">{tags}</footer></body></html>'
    assert extract(site).tags == []
    widget = f'<html><body><article><h1>Harbour plan</h1>{BODY}</article><div class="widget">{tags}</div></body></html>'
    assert extract(widget).tags == []


def test_language_is_detected_when_the_page_does_not_say() -> None:
    text = "Der Stadtrat hat am Dienstag über den neuen Hafenplan abgestimmt. " * 5
    html = f"<html><body><article><h1>Der Hafen</h1><p>{text}</p><p>{text}</p></article></body></html>"
    assert extract(html).language == "de"


def test_figures_captions_credits_lead_first_and_deduplicated() -> None:
    head = '<meta property="og:image" content="https://cdn.example/lead-1200x800.jpg">'
    body = (
        "<h1>Harbour plan</h1>"
        '<figure><img src="https://cdn.example/lead-640x480.jpg">'
        "<figcaption>The harbour at dawn. Photo: Ann Lee/Reuters</figcaption></figure>"
        '<figure><img srcset="https://cdn.example/b-320.jpg 320w, https://cdn.example/b-1024.jpg 1024w">'
        '<figcaption><span>Boats in the bay</span><span class="credit">© Max Muster</span></figcaption></figure>'
        '<aside class="related"><figure><img src="https://cdn.example/other.jpg">'
        "<figcaption>Another story entirely</figcaption></figure></aside>"
    )
    images = extract(page(head=head, body=body)).images
    assert [(i.caption, i.credit) for i in images] == [
        ("The harbour at dawn.", "Ann Lee/Reuters"),
        ("Boats in the bay", "Max Muster"),
    ]
    assert images[0].url == "https://cdn.example/lead-1200x800.jpg"
    assert images[1].url == "https://cdn.example/b-1024.jpg"


def test_credits_beside_after_a_pipe_or_labelled_in_the_plural() -> None:
    body = (
        "<h1>Harbour plan</h1>"
        '<figure class="widget-picture"><img src="https://cdn.example/a.jpg">'
        "<figcaption>The harbour at dawn | <strong>Ann Lee/dpa</strong></figcaption></figure>"
        '<div class="image-box"><img src="https://cdn.example/b.jpg"><div class="image-text">'
        '<span class="image-caption">Boats in the bay at noon</span><span class="image-source">Max Muster</span>'
        "</div></div>"
        '<figure><img src="https://cdn.example/c.jpg"><figcaption><strong>Image Credits:</strong> Harbour Board'
        "</figcaption></figure>"
        '<figure><img src="https://cdn.example/d.jpg"><figcaption>The old quay - Jo Ray/AP</figcaption></figure>'
    )
    images = extract(page(body=body)).images
    assert [(i.caption, i.credit) for i in images] == [
        ("The harbour at dawn", "Ann Lee/dpa"),
        ("Boats in the bay at noon", "Max Muster"),
        (None, "Harbour Board"),
        ("The old quay", "Jo Ray/AP"),
    ]


def test_a_caption_ending_in_a_clause_keeps_it() -> None:
    body = '<figure><img src="https://cdn.example/a.jpg"><figcaption>The quay - seen from the water.</figcaption></figure>'
    assert [(i.caption, i.credit) for i in extract(page(body=body)).images] == [
        ("The quay - seen from the water.", None)
    ]


def captions(html: str) -> list[tuple[str | None, str | None]]:
    return [(i.caption, i.credit) for i in extract(html).images if i.caption or i.credit]


def test_a_figures_own_classes_do_not_make_it_a_rail() -> None:
    body = (
        '<div class="widget__wrapper"><div class="widget__contents"><figure class="widget__figure">'
        '<img src="https://cdn.example/a.jpg"><figcaption class="widget__caption">The quay at noon'
        "</figcaption></figure></div></div>"
        '<figure><img src="https://cdn.example/b.jpg"><figcaption class="image-footer">'
        '<span class="title">Boats in the harbour</span></figcaption></figure>'
        '<aside class="image"><img src="https://cdn.example/c.jpg"><p class="caption">The harbour master</p></aside>'
        '<div class="related-stories"><figure><img src="https://cdn.example/d.jpg">'
        "<figcaption>Another story about ferries</figcaption></figure>"
        '<figure><img src="https://cdn.example/e.jpg"><figcaption>A third story about gulls</figcaption></figure></div>'
    )
    assert captions(page(body=body)) == [
        ("The quay at noon", None),
        ("Boats in the harbour", None),
        ("The harbour master", None),
    ]


def test_caption_typeface_links_and_author_portraits_are_not_captions() -> None:
    head = '<nav><a class="text-caption" href="/account">Mein Konto anzeigen</a></nav>'
    body = (
        '<div class="text-caption">Sie sind angemeldet als: reader@example.org</div>'
        '<figure><img src="https://cdn.example/jane.jpg"><figcaption><address>'
        '<a rel="author" href="/jane">Von Jane Doe, Redakteurin</a></address></figcaption></figure>'
        '<figure><img src="https://cdn.example/quay.jpg"><figcaption>The quay at dawn</figcaption></figure>'
        '<div class="story-authors_content"><span>Ann Lee</span>'
        '<span class="Caption_caption story-authors_authorFunction">News agency <span class="source">SID</span>'
        "</span></div>"
    )
    assert captions(page(body=head + body)) == [("The quay at dawn", None)]


def test_one_placeholder_file_under_two_captioned_pictures_gives_two_images() -> None:
    stub = "https://cdn.example/placeholder.gif"
    body = (
        f'<figure><img src="{stub}"><figcaption>The quay at dawn</figcaption></figure>'
        f'<figure><img src="{stub}"><figcaption>Boats leaving the harbour</figcaption></figure>'
    )
    assert captions(page(body=body)) == [("The quay at dawn", None), ("Boats leaving the harbour", None)]


def test_credits_read_whole_and_without_rights_notices() -> None:
    body = (
        '<figure><img src="https://cdn.example/a.jpg"><figcaption>Smoke over the port. '
        '<span class="credit">Photo by JANE DOE</span> / AFP via Getty Images</figcaption></figure>'
        '<figure><img src="https://cdn.example/b.jpg"><figcaption>Ferries at the quay '
        '<span class="caption-copyright">Copyright</span> '
        '<span class="caption-credit">Max Muster/Copyright 2024 The AP. All rights reserved.</span>'
        "</figcaption></figure>"
        '<figure><img src="https://cdn.example/c.jpg"><figcaption>Photo Courtesy of Harbour Board</figcaption></figure>'
    )
    assert captions(page(body=body)) == [
        ("Smoke over the port.", "JANE DOE / AFP via Getty Images"),
        ("Ferries at the quay", "Max Muster"),
        (None, "Harbour Board"),
    ]


def test_a_source_printed_after_the_captions_last_sentence_is_its_credit() -> None:
    body = "".join(
        f'<figure><img src="https://cdn.example/{n}.jpg"><figcaption>{text}</figcaption></figure>'
        for n, text in enumerate(
            [
                "Garlic helps against colds. Pexels/Ann Lee",
                "시민들이 항구를 걷고 있다. 연합뉴스",
                "The mayor left early. Then the council voted",
            ]
        )
    )
    assert captions(page(body=body)) == [
        ("Garlic helps against colds.", "Pexels/Ann Lee"),
        ("시민들이 항구를 걷고 있다.", "연합뉴스"),
        ("The mayor left early. Then the council voted", None),
    ]


def test_a_caption_element_around_its_picture_is_read_but_a_caption_less_one_is_not() -> None:
    body = (
        '<p class="caption"><picture><img src="https://cdn.example/fold.jpg"></picture>'
        '<span class="bu">New foldables are expected this summer.</span></p>'
        '<div class="entry"><p class="withoutCaption"><img src="https://cdn.example/avatar.jpg"></p>'
        '<a class="entry-author" href="/people/jo">Jo Ray</a></div>'
    )
    images = extract(page(body=body)).images
    assert [(i.url, i.caption, i.credit) for i in images if i.caption or i.credit] == [
        ("https://cdn.example/fold.jpg", "New foldables are expected this summer.", None)
    ]


def test_a_caption_that_is_all_credit_and_a_figures_footer_give_credits() -> None:
    body = (
        '<figure><img src="https://cdn.example/a.jpg"><figcaption><cite>Ann Lee - stock.example.com</cite>'
        "</figcaption></figure>"
        '<figure><img src="https://cdn.example/b.jpg"><figcaption>Boats in the bay at noon</figcaption>'
        "<footer>Jo Ray/Harbour Times</footer></figure>"
        '<figure><img src="https://cdn.example/c.jpg"><footer>Max Muster/dpa</footer></figure>'
    )
    assert captions(page(body=body)) == [
        (None, "Ann Lee - stock.example.com"),
        ("Boats in the bay at noon", "Jo Ray/Harbour Times"),
        (None, "Max Muster/dpa"),
    ]


def test_a_lone_teaser_image_is_the_lead_and_a_rail_of_teasers_is_not() -> None:
    body = (
        '<section class="teaser-image"><figure><img src="https://cdn.example/lead.jpg">'
        "<figcaption>The harbour from the air</figcaption></figure></section>"
        '<div class="more"><div class="teaser-image"><figure><img src="https://cdn.example/x.jpg">'
        '<figcaption>Ferry fares rise again</figcaption></figure></div><div class="teaser-image"><figure>'
        '<img src="https://cdn.example/y.jpg"><figcaption>Gulls return to the bay</figcaption></figure></div></div>'
    )
    assert captions(page(body=body)) == [("The harbour from the air", None)]


def test_a_carousel_of_captioned_pictures_is_the_articles_gallery_and_a_carousel_of_teasers_is_not() -> None:
    def slide(n: int, caption: str, link: bool) -> str:
        picture = f'<img src="https://cdn.example/{n}.jpg">'
        if link:
            picture = f'<a href="https://news.example/story-{n}">{picture}</a>'
        return f'<div class="slide"><figure>{picture}<figcaption>{caption}</figcaption></figure></div>'

    gallery = (
        '<div class="image-carousel">'
        + slide(1, "Smoke rises over the warehouse. © Ann Lee/dpa", link=False)
        + slide(2, "Firefighters on a turntable ladder. © Ben Ray/Imago", link=False)
        + "</div>"
    )
    teasers = (
        '<div class="related-slider">'
        + slide(3, "Ferry fares rise again", link=True)
        + slide(4, "Gulls return to the bay", link=True)
        + "</div>"
    )
    assert captions(page(body=gallery + teasers)) == [
        ("Smoke rises over the warehouse.", "Ann Lee/dpa"),
        ("Firefighters on a turntable ladder.", "Ben Ray/Imago"),
    ]


def test_image_box_texts_are_captions_when_the_page_names_none() -> None:
    body = (
        '<div class="media"><img src="https://cdn.example/a.jpg"><div class="mediaInfo">'
        '<span class="mediaSubtitle">Pigs wait in the yard of the slaughterhouse.</span></div></div>'
        '<div class="detail-img"><img src="https://cdn.example/b.jpg">'
        '<div class="detail-img__description">The plan as the council drew it.</div></div>'
        '<div class="product-description">Not a caption: no picture is named here.</div>'
    )
    assert captions(page(body=body)) == [
        ("Pigs wait in the yard of the slaughterhouse.", None),
        ("The plan as the council drew it.", None),
    ]


def test_a_figure_inside_a_lightbox_button_is_read_and_other_buttons_stay_dropped() -> None:
    body = (
        '<button class="slide-viewer" aria-label="Open image viewer"><div class="image-embed"><figure>'
        '<img src="https://cdn.example/a.jpg"></figure><figcaption class="image-caption">'
        "The quay at dawn (Image: Ann Lee/Reuters)</figcaption></div></button>"
        '<button class="share-button"><img src="https://cdn.example/share.svg"> Share this story</button>'
    )
    article = extract(page(body=body))
    assert captions(page(body=body)) == [("The quay at dawn", "Ann Lee/Reuters")]
    assert "Share this story" not in article.text


def test_a_lone_figure_floated_in_a_sidebar_box_is_read_and_its_source_only_once_removed() -> None:
    body = (
        '<div class="media-block ps-sidebar"><div class="image"><img src="https://cdn.example/a.jpg">'
        '<div class="caption"><span class="source">Harbour</span>'
        '<span class="text">Harbour boats leave at dawn.</span></div></div></div>'
        '<div class="sidebar"><figure><img src="https://cdn.example/x.jpg"><figcaption>Ferry fares rise again'
        '</figcaption></figure><figure><img src="https://cdn.example/y.jpg"><figcaption>Gulls return to the bay'
        "</figcaption></figure></div>"
    )
    assert captions(page(body=body)) == [("Harbour boats leave at dawn.", "Harbour")]


def test_the_words_under_a_picture_in_an_unnamed_box_are_its_caption_and_credit() -> None:
    body = (
        '<div class="sc-aa1"><div class="sc-bb2"><picture><img src="https://cdn.example/a.jpg" width="960">'
        '</picture></div><div class="sc-cc3">The former mayor at the quay</div><div class="sc-dd4">Jo Ray</div></div>'
        '<div class="relative mt-2"><img src="https://cdn.example/b.jpg"><p class="text-xs">'
        "Boats leave the harbour at dawn. <span>IMAGO/Ann Lee</span></p></div>"
    )
    assert captions(page(body=body)) == [
        ("The former mayor at the quay", "Jo Ray"),
        ("Boats leave the harbour at dawn.", "IMAGO/Ann Lee"),
    ]
    body = (
        '<div class="mx-auto"><span class="text-sm text-right">Foto: Max Muster</span>'
        '<img src="https://cdn.example/c.jpg"><div class="text-base">Gulls over the old quay at noon</div></div>'
        '<div class="mx-auto"><span>Read this first</span><img src="https://cdn.example/d.jpg">'
        "<div>Ferries wait in the bay for the storm to pass</div></div>"
    )
    assert captions(page(body=body)) == [("Gulls over the old quay at noon", "Max Muster")]
    body = (
        '<div class="relative"><picture><img src="https://cdn.example/e.jpg" width="0" height="0"></picture>'
        '<div class="absolute bottom-2">Anadolu Ajansı</div></div>'
    )
    assert captions(page(body=body)) == [(None, "Anadolu Ajansı")]


def test_a_short_block_right_after_a_picture_in_the_flow_of_paragraphs_is_its_caption() -> None:
    para = "<p>" + "The council met on Tuesday and voted on the harbour plan. " * 3 + "</p>"
    body = (
        f'{para}<div class="f3e0"><picture><img src="https://cdn.example/a.jpg"></picture></div>'
        f'<div class="f46b"><span>The mayor speaks at the quay</span></div>{para}'
        f'<div class="f3e0"><picture><img src="https://cdn.example/b.jpg"></picture></div>{para}'
        f'<div class="f3e0"><picture><img src="https://cdn.example/c.jpg"></picture></div>'
        f'<div><a href="/more">Read more about the harbour</a></div>{para}'
    )
    assert captions(page(body="<h1>Harbour plan passes</h1>" + body)) == [
        ("The mayor speaks at the quay", None)
    ]


def test_teaser_cards_videos_dialogs_and_icon_labels_are_not_captioned_boxes() -> None:
    body = (
        '<a href="/ferries"><div class="card"><img src="https://cdn.example/t.jpg">'
        "<span>Another story about ferries and fares</span></div></a>"
        '<div class="c-video"><img src="https://cdn.example/v.jpg"><div><time>2:34</time>'
        "<span>The harbour plan explained in two minutes</span></div></div>"
        '<div class="share-preview"><img src="https://cdn.example/s.jpg"><p>Harbour plan passes after a long debate</p></div>'
        '<div class="menu-entry"><img src="https://cdn.example/i.png"><span>My account</span></div>'
        '<div class="flex"><img src="https://cdn.example/logo.png" width="40" height="40"><span>Harbour Times daily edition</span></div>'
        '<p class="text-sub-caption font-xs">Sign in to keep reading</p>'
    )
    assert captions(page(body=body)) == []


def test_a_labelled_line_in_the_figure_hidden_parts_and_courtesy_are_read_right() -> None:
    body = (
        '<figure><div class="x1"><img src="https://cdn.example/a.jpg"><span class="x2">Foto: Ann Lee, Harbour Times'
        '</span></div><figcaption class="x3"><span>The mayor at the quay.</span></figcaption></figure>'
        '<figure><img src="https://cdn.example/b.jpg"><figcaption>Smoke over the port. <span>Foto: Jo Ray/AP</span>'
        '<span class="more" hidden="">Show more</span></figcaption></figure>'
        '<figure><img src="https://cdn.example/c.jpg"><figcaption>Workers rally at the depot. '
        '<span class="credit">(Courtesy of Max Muster)</span></figcaption></figure>'
    )
    assert captions(page(body=body)) == [
        ("The mayor at the quay.", "Ann Lee, Harbour Times"),
        ("Smoke over the port.", "Jo Ray/AP"),
        ("Workers rally at the depot.", "Max Muster"),
    ]


def test_a_layout_named_like_a_rail_around_the_headline_and_an_image_description_beside_captions() -> None:
    html = (
        '<html><head></head><body><div class="sidebar-grid"><header class="sidebar-grid__header">'
        "<h1>Harbour plan passes</h1>"
        '<figure><img src="https://cdn.example/a.jpg"><figcaption>The quay at dawn. Photo: Ann Lee/AP'
        "</figcaption></figure></header>"
        '<div class="post-img"><figure><img src="https://cdn.example/b.jpg"></figure>'
        '<p class="img-description">Boats in the bay at noon. <strong>Foto: Jo Ray/dpa</strong></p></div>'
        '<figure><img src="https://cdn.example/c.jpg"><figcaption>02/02/2025</figcaption></figure>'
        '<figure><img src="https://cdn.example/d.jpg"><figcaption>REKLAMA: the article follows in 15 seconds'
        "</figcaption></figure>"
        f"{BODY}</div>"
        '<div class="sidebar"><figure><img src="https://cdn.example/x.jpg"><figcaption>Ferry fares rise again'
        '</figcaption></figure><figure><img src="https://cdn.example/y.jpg"><figcaption>02/02/2025'
        "</figcaption></figure></div></body></html>"
    )
    assert captions(html) == [
        ("The quay at dawn.", "Ann Lee/AP"),
        ("Boats in the bay at noon.", "Jo Ray/dpa"),
    ]


def test_a_captioned_pictures_credit_may_be_in_its_title_or_alt_but_a_video_title_is_none() -> None:
    body = (
        '<div class="media"><img src="https://cdn.example/a.jpg" title="Firefighters at work | Bildquelle: WDR/Jo Ray">'
        '<div class="mediaInfo"><p class="infotext">Firefighters at work in the harbour</p></div></div>'
        '<figure><img src="https://cdn.example/b.jpg" alt="A meteorite © NDR Foto: Ann Lee +++ dpa-Bildfunk +++">'
        "<figcaption>A meteorite on the lawn</figcaption></figure>"
        '<figure><img src="https://cdn.example/c.jpg" alt="Click to play video: \'Harbour plan explained\'">'
        "<figcaption>The harbour plan explained</figcaption></figure>"
    )
    assert sorted(captions(page(body=body))) == [
        ("A meteorite on the lawn", "Ann Lee"),
        ("Firefighters at work in the harbour", "WDR/Jo Ray"),
        ("The harbour plan explained", None),
    ]


def test_a_photographer_named_before_the_agency_in_parentheses_is_part_of_the_credit() -> None:
    body = "".join(
        f'<figure><img src="https://cdn.example/{n}.jpg"><figcaption>{text}</figcaption></figure>'
        for n, text in enumerate(
            [
                "Police at the camp on 11 October. Florion Goga (REUTERS)",
                "Smoke over the port. Seen on Friday (AFP)",
            ]
        )
    )
    assert captions(page(body=body)) == [
        ("Police at the camp on 11 October.", "Florion Goga (REUTERS)"),
        ("Smoke over the port. Seen on Friday", "AFP"),
    ]


def test_a_short_line_above_the_caption_sentence_is_its_credit_but_a_label_is_not() -> None:
    body = (
        '<figure><img src="https://cdn.example/a.jpg"><figcaption><span>The Harbour Times</span><br>'
        "The leaders of seven parties meet for a debate at the press club on Saturday.</figcaption></figure>"
        '<figure><img src="https://cdn.example/b.jpg"><figcaption><strong>Left:</strong><br>'
        "The mayor speaks to the council before the vote on the harbour plan.</figcaption></figure>"
    )
    assert captions(page(body=body)) == [
        (
            "The leaders of seven parties meet for a debate at the press club on Saturday.",
            "The Harbour Times",
        ),
        ("Left: The mayor speaks to the council before the vote on the harbour plan.", None),
    ]


def test_a_layout_named_like_a_rail_that_holds_the_articles_prose_is_not_a_rail() -> None:
    prose = (
        "<p>" + "The council met on Tuesday and voted on the new harbour plan after a debate. " * 4 + "</p>"
    )
    html = (
        "<html><head></head><body><h1>Harbour plan passes</h1>"
        f'<div class="right-rail__main"><figure><img src="https://cdn.example/a.jpg"><figcaption>The quay at dawn '
        f'<span class="credit">Ann Lee</span></figcaption></figure>{prose * 3}</div>'
        '<div class="right-rail"><figure><img src="https://cdn.example/x.jpg"><figcaption>Ferry fares rise again'
        "</figcaption></figure><p>Short teaser text.</p></div></body></html>"
    )
    assert captions(html) == [("The quay at dawn", "Ann Lee")]


def test_declared_images_fill_in_and_do_not_repeat_a_shown_picture() -> None:
    ld = {
        "@type": "NewsArticle",
        "headline": "Harbour plan",
        "image": [
            {
                "@type": "ImageObject",
                "url": "https://cdn.example/quay-1x1.jpg",
                "copyrightHolder": "© Ann Lee/dpa",
            },
            {"@type": "ImageObject", "url": "https://cdn.example/boats.jpg", "caption": "Boats in the bay"},
        ],
    }
    body = (
        '<div class="media"><img src="https://cdn.example/quay-wide.jpg"><div class="mediaInfo">'
        '<p class="infotext">The quay <span class="credit">Ann Lee/dpa</span></p></div></div>'
        '<div class="media"><img src="https://cdn.example/boats.jpg"><div class="mediaInfo">'
        '<p class="infotext">Boats in the bay / Jo Ray / Harbour Times</p></div></div>'
    )
    assert captions(page(ld=ld, body=body)) == [
        ("The quay", "Ann Lee/dpa"),
        ("Boats in the bay", "Jo Ray / Harbour Times"),
    ]


def test_paywalled_teaser_is_flagged_and_a_free_full_article_is_not() -> None:
    ld = {"@type": "NewsArticle", "headline": "Subscriber story", "isAccessibleForFree": "False"}
    teaser = (
        f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head><body><article>'
        "<h1>Subscriber story</h1><p>The council met on Tuesday and the first lines are free to read.</p>"
        '<div class="paywall">Subscribe to read more</div></article></body></html>'
    )
    assert broadsheet.extract(teaser, "https://courier.example/a").paywalled is True
    assert extract(page(body="<h1>Free story</h1>")).paywalled is False
    # a paid article served whole (to a crawler, or metered) is not a teaser
    full = page(ld=ld, body="<h1>Subscriber story</h1>" + BODY * 5)
    assert extract(full).paywalled is False


# ---------------------------------------------------------------------------------- never raises

_junk = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=60, deadline=None)
@given(ld=_junk, author=_junk, date=_junk, title=_junk)
def test_any_metadata_text_gives_a_sane_result(ld: str, author: str, date: str, title: str) -> None:
    head = (
        f'<script type="application/ld+json">{ld.replace("</", "")}</script>'
        f'<meta name="author" content="{author.replace(chr(34), "")}">'
        f'<meta property="article:published_time" content="{date.replace(chr(34), "")}">'
    )
    html = page(head=head, body=f"<h1>{title.replace('<', '')}</h1>")
    a = broadsheet.extract(html, "https://courier.example/x", fetched_at="2024-03-10")
    assert a.ok
    assert a.published is None or "1990-01-01" <= a.published[:10] <= "2024-03-11"
    assert all(isinstance(n, str) and n and len(n) <= 60 for n in a.authors)


@pytest.mark.parametrize(
    "value",
    [
        '{"@type": "NewsArticle", "author": {"@id": "#nobody"}}',
        "[[[[[[[[[[]]]]]]]]]]",
        "null",
        '"text"',
        "{" * 5000,
    ],
)
def test_odd_json_ld_shapes(value: str) -> None:
    a = extract(page(ld=value, body="<h1>Plain headline here</h1>"))
    assert a.title == "Plain headline here"


def test_date_in_the_page_scripts_is_the_last_resort() -> None:
    script = '<script>window.__STATE__ = {"article": {"publishedAt": "2024-03-05T10:00:00Z"}};</script>'
    a = extract(page(head=script, body="<h1>A story without a visible date</h1>"), fetched_at="2024-03-10")
    assert a.published == "2024-03-05T10:00:00+00:00"
    assert extract(page(body="<h1>A story without any date</h1>"), fetched_at="2024-03-10").published is None


def _figures_page(texts: list[str]) -> str:
    return page(
        body="".join(
            f'<figure><img src="https://cdn.example/{n}.jpg"><figcaption>{text}</figcaption></figure>'
            for n, text in enumerate(texts)
        )
    )


def test_a_name_after_a_spaced_slash_closes_the_caption_as_its_credit() -> None:
    texts = [
        "Police at the harbour on Monday / Ana Ruiz",
        "Ferries at the quay, seen from the north / west pier",
    ]
    assert captions(_figures_page(texts)) == [
        ("Police at the harbour on Monday", "Ana Ruiz"),
        ("Ferries at the quay, seen from the north / west pier", None),
    ]


def test_a_japanese_caption_closes_on_who_photographed_it() -> None:
    texts = ["港を歩く市民たち＝13日、横浜市で（山田太郎撮影）", "評価検討会＝13日午後（代表撮影）"]
    assert captions(_figures_page(texts)) == [
        ("港を歩く市民たち＝13日、横浜市で", "山田太郎"),
        ("評価検討会＝13日午後", "代表"),
    ]


def test_a_source_in_parentheses_after_the_last_sentence_but_not_the_pictures_kind() -> None:
    texts = [
        "The mayor denied any wrongdoing. (Harbour Times)",
        "The mayor opens the new quay on Tuesday. (Archivbild)",
        "The mayor at the quay (left) and the harbour master (right)",
        "( Harbour Times )",
    ]
    assert captions(_figures_page(texts)) == [
        ("The mayor denied any wrongdoing.", "Harbour Times"),
        ("The mayor opens the new quay on Tuesday. (Archivbild)", None),
        ("The mayor at the quay (left) and the harbour master (right)", None),
        (None, "Harbour Times"),
    ]


def test_credit_labels_in_more_languages_and_korean_sources_with_digits() -> None:
    texts = [
        "Umphakathi ubuthene ehholo. Isithombe: Sipho Dlamini",
        "Bệnh nhân được thăm khám tại bệnh viện. Ảnh: Nguyễn Văn An",
        "Limanda bekleyen gemiler. Fotoğraf: Ayşe Yılmaz",
        "시민들이 항구를 걷고 있다. 뉴스1",
        "항구의 모습. 사진=홍길동 기자",
    ]
    assert captions(_figures_page(texts)) == [
        ("Umphakathi ubuthene ehholo.", "Sipho Dlamini"),
        ("Bệnh nhân được thăm khám tại bệnh viện.", "Nguyễn Văn An"),
        ("Limanda bekleyen gemiler.", "Ayşe Yılmaz"),
        ("시민들이 항구를 걷고 있다.", "뉴스1"),
        ("항구의 모습.", "홍길동 기자"),
    ]


def test_a_declared_caption_that_carries_its_credit_is_split() -> None:
    ld = {
        "@type": "NewsArticle",
        "headline": "Harbour plan",
        "image": {
            "@type": "ImageObject",
            "url": "https://cdn.example/lead.jpg",
            "caption": "коллаж: Анна Петрова",
        },
    }
    images = extract(page(ld=ld)).images
    assert [(i.caption, i.credit) for i in images if i.credit] == [(None, "Анна Петрова")]


def test_a_credit_named_line_under_a_lead_picture_in_the_articles_header_is_its_credit() -> None:
    body = (
        '<header><h1>Harbour plan</h1><section class="article-shared-lead">'
        '<img src="https://cdn.example/lead.jpg"><p class="article-shared-lead__credits">Ann Lee/Harbour Times</p>'
        "</section></header>"
        '<header class="card"><img src="https://cdn.example/card.jpg"><p class="card__credits">Jo Ray/Wire</p></header>'
    )
    assert captions(page(body=body)) == [(None, "Ann Lee/Harbour Times")]


def test_renditions_named_by_size_are_one_picture_told_apart_by_their_folder() -> None:
    head = '<meta property="og:image" content="https://img.example/news/harbour-plan-image/wide__1300x731">'
    body = (
        '<figure><img src="https://img.example/news/harbour-plan-image/wide__360x202__mobile__scale_2">'
        "<figcaption>The new quay at noon</figcaption></figure>"
        '<figure><img src="https://img.example/news/ferry-image/wide__360x202__mobile__scale_2"></figure>'
    )
    images = extract(page(head, body)).images
    assert [(i.url.split("/news/")[1] if i.url else None, i.caption) for i in images] == [
        ("harbour-plan-image/wide__1300x731", "The new quay at noon"),
        ("ferry-image/wide__360x202__mobile__scale_2", None),
    ]


def test_renditions_named_by_the_pictures_number_are_one_picture() -> None:
    cdn = "https://img.example/409956368/409956368_1757422506"
    ld = {
        "@type": "NewsArticle",
        "headline": "Harbour plan",
        "image": [f"{cdn}_v16_9_1600.jpeg", f"{cdn}_v4_3_800.jpeg", f"{cdn}_v1_1_400.jpeg"],
    }
    head = f'<meta property="og:image" content="{cdn}_v16_9_1200.jpeg">'
    body = (
        f'<figure><img src="{cdn}_v16_9_1600.webp"><figcaption>The new quay at noon</figcaption></figure>'
        # one article's pictures share its number and the day's date, but each has its own number
        '<figure><img src="https://img.example/84163521-13357113-image-a-8_1714229186037.jpg">'
        "<figcaption>Gulls over the bay</figcaption></figure>"
        '<figure><img src="https://img.example/84163527-13357113-image-a-12_1714229318837.jpg">'
        "<figcaption>Ferries at the pier</figcaption></figure>"
        '<figure><img src="https://img.example/20220125-quay-02.jpg"></figure>'
        '<figure><img src="https://img.example/20220125-quay-03.jpg"></figure>'
    )
    images = extract(page(head, body, ld=ld)).images
    assert [(i.url.rsplit("/", 1)[1] if i.url else None, i.caption) for i in images] == [
        ("409956368_1757422506_v16_9_1200.jpeg", "The new quay at noon"),
        ("84163521-13357113-image-a-8_1714229186037.jpg", "Gulls over the bay"),
        ("84163527-13357113-image-a-12_1714229318837.jpg", "Ferries at the pier"),
        ("20220125-quay-02.jpg", None),
        ("20220125-quay-03.jpg", None),
    ]


def test_a_written_by_pair_of_twitter_labels_names_the_author() -> None:
    head = (
        '<meta name="author" content="a.lee@courier.example">'
        '<meta name="twitter:label1" content="Est. reading time"><meta name="twitter:data1" content="3 minutes">'
        '<meta name="twitter:label2" content="Verfasst von"><meta name="twitter:data2" content="Ann Lee">'
    )
    assert extract(page(head=head, body="<h1>Harbour plan</h1>")).authors == ["Ann Lee"]
    # a reading time is no author
    head = '<meta name="twitter:label1" content="Est. reading time"><meta name="twitter:data1" content="3 minutes">'
    assert extract(page(head=head, body="<h1>Harbour plan</h1>")).authors == []


def test_one_article_tag_holding_every_tag_is_split() -> None:
    head = '<meta property="article:tag" content="Santé, alimentation, Ventre plat">'
    assert extract(page(head=head, body="<h1>Harbour plan</h1>")).tags == [
        "Santé",
        "alimentation",
        "Ventre plat",
    ]


# ------------------------------------------------------------------- dates: declarations that disagree


def test_declarations_that_disagree_are_settled_by_the_printed_day() -> None:
    ld = {"@type": "NewsArticle", "headline": "Harbour plan", "datePublished": "2021-12-06T14:36:00"}
    head = '<meta property="article:published_time" content="2022-12-15T09:13:00">'
    printed = '<h1>Harbour plan</h1><p class="byline">Jane Doe</p><time class="date">15.12.2022</time>'
    assert extract(page(head, printed, ld=ld), fetched_at="2023-01-10").published == "2022-12-15T09:13:00"
    # a day the page prints as its update does not count: the JSON-LD date stays
    updated = '<h1>Harbour plan</h1><p class="date">Updated <time>Dec 15, 2022</time></p>'
    assert extract(page(head, updated, ld=ld), fetched_at="2023-01-10").published == "2021-12-06T14:36:00"
    # nothing printed: the first declaration, as before
    assert extract(page(head, "<h1>Harbour plan</h1>", ld=ld), fetched_at="2023-01-10").published == (
        "2021-12-06T14:36:00"
    )


def test_a_generic_date_meta_gives_way_to_the_dateline() -> None:
    head = '<meta name="date" content="2020-04-29T11:52:23">'
    body = "<h1>Harbour plan</h1><p>Stand: 28.04.2020 18:00 Uhr</p>"
    assert extract(page(head, body, lang="de"), fetched_at="2020-05-10").published == "2020-04-28T18:00"
    # a specific tag is believed as before
    head = '<meta property="article:published_time" content="2020-04-29T11:52:23">'
    assert extract(page(head, body, lang="de"), fetched_at="2020-05-10").published == "2020-04-29T11:52:23"


def test_a_publication_line_that_mentions_a_later_update_is_no_update() -> None:
    body = '<h1>Harbour plan</h1><span class="date">Written: 2023-11-07 15:03:30 / Updated: 2023-11-07 15:30</span>'
    assert extract(page("", body), fetched_at="2023-11-10").published == "2023-11-07T15:03:30"


def test_a_page_showing_only_an_update_date_gets_no_publication_date() -> None:
    # no date rather than a wrong one: the last revision is not when the story was published
    body = '<h1>Harbour plan</h1><p class="byline">By Jane Doe</p><p>Updated March 5, 2025</p>'
    assert extract(page("", body), fetched_at="2025-04-01").published is None


def test_byline_in_the_article_own_footer() -> None:
    # a blog theme prints its byline in the post's <footer>: the post's own, not the page's furniture
    post = (
        "<h1>Mozart's school reports</h1>"
        + "<p>"
        + "What his parents thought of his marks is told in their letters of the time. " * 5
        + "</p>"
        + '<footer class="post-footer postdata"><span class="author vcard">'
        '<a class="url fn" rel="author" href="/author/gwk">Gerd W. Kaminski</a></span> | 18:52</footer>'
    )
    html = f"<html><head></head><body><article>{post}</article></body></html>"
    assert extract(html).authors == ["Gerd W. Kaminski"]
    # in the page's footer, or in a rail inside the article, a marked name is still no byline
    page_footer = '<footer>Site by <a rel="author" href="/author/webteam">Gerd W. Kaminski</a></footer>'
    html = (
        f"<html><head></head><body><article>{post.split('<footer')[0]}</article>{page_footer}</body></html>"
    )
    assert extract(html).authors == []
    rail = post.replace('class="post-footer postdata"', 'class="related-footer"')
    html = f"<html><head></head><body><article>{rail}</article></body></html>"
    assert extract(html).authors == []


@pytest.mark.parametrize("key", ["og:article:author", "og:author", "cxenseparse:author", "citation_author"])
def test_writer_declared_in_other_author_metas(key: str) -> None:
    head = f'<meta property="{key}" content="Jane Doe">'
    assert extract(page(head=head)).authors == ["Jane Doe"]


def test_byline_line_after_a_headline_held_in_a_center_element() -> None:
    # the headline's text sits in a <center> inside the <h1>: the block agreeing with the title anchors
    # the byline search
    body = (
        "<h1><center>Survival guide to the init system</center></h1>"
        "<p>by Jon Fosterling - 2025-09-13 Updated: 2025-09-13</p>"
    )
    html = page(head="<title>Survival guide to the init system</title>", body=body)
    assert extract(html).authors == ["Jon Fosterling"]


def test_byline_label_and_name_in_adjacent_spans() -> None:
    body = "<h1>Fasting and the brain</h1><div><span>By</span><span>Daryl Austinson</span></div>"
    assert extract(page(body=body)).authors == ["Daryl Austinson"]
    # a brand name that starts with "By" is no label
    body = "<h1>Fasting and the brain</h1><div>ByHeart formula sales rose</div>"
    assert extract(page(body=body)).authors == []


def _signed(signature: str, *, og_type: str = "article", at_end: bool = False) -> str:
    """An article of four paragraphs whose writers sign it in bold, at its top or at its end."""
    paragraphs = [
        "<p>"
        + f"The ferry timetable changes in {month}, the harbour office said in its notice. " * 3
        + "</p>"
        for month in ("May", "June", "July", "August")
    ]
    sign = f"<p><strong>{signature}</strong></p>"
    body = "".join([*paragraphs, sign] if at_end else [sign, *paragraphs])
    head = f'<meta property="og:type" content="{og_type}"><meta property="og:site_name" content="Harbour Courier">'
    return (
        f"<html><head>{head}</head><body><h1>New ferry timetable</h1><article>{body}</article></body></html>"
    )


def test_names_signing_the_article_in_bold_are_its_byline() -> None:
    for html in (_signed("Mara Lindqvist"), _signed("Mara Lindqvist", at_end=True)):
        article = extract(html)
        assert article.authors == ["Mara Lindqvist"]
        assert "Lindqvist" not in article.text  # the signature leaves the body
    assert extract(_signed("Mara Lindqvist/Tomas Berg")).authors == ["Mara Lindqvist", "Tomas Berg"]
    # not a signature: a landing page's testimonial, a bold sub-heading of words the body prints, the site
    assert extract(_signed("Mara Lindqvist", og_type="website")).authors == []
    assert extract(_signed("Harbour Office", at_end=True)).authors == []
    assert extract(_signed("Harbour Courier")).authors == []


def test_a_byline_followed_by_the_sites_buttons() -> None:
    # the byline's paragraph also holds a button: the names end where the site's interface words begin
    body = (
        '<h1>Choosing motors for a small robot</h1><p>By <a href="/contributor/jd">Jane Q. Doe</a> '
        '<a class="btn" href="/digital">View In Digital Edition</a></p>'
    )
    assert extract(page(body=body)).authors == ["Jane Q. Doe"]


def test_an_embedded_posts_signature_is_not_the_byline() -> None:
    tweet = (
        '<blockquote class="twitter-tweet"><p>The ferry runs again from Monday.</p>'
        "— Jane Roe (@jroe) May 2, 2020</blockquote>"
    )
    body = f"<h1>Ferry service returns</h1>{tweet}"
    assert extract(page(body=body)).authors == []
