"""Synthetic news pages with known truth: broadsheet's own examples, fixtures and load corpora.

``generate(n, seed)`` makes realistic pages from a handful of invented publishers, each with its own
template: navigation, breadcrumb, headline, dek, byline, dateline, a lead photo with caption and
credit, a body with sub-headings, lists and quotes, then rails ("Most Read", related stories,
newsletter box), a tags line and a footer. Every page comes as HTML and as flattened text (one block
per line, as a crawler's HTML-to-text step prints it), with the truth a careful reader would take.
Wire stories can be reposted across publishers with edited headlines, extra boilerplate or
truncation, to test deduplication and story clusters.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

__all__ = ["SITES", "Story", "SyntheticPage", "generate", "make_story", "render_page", "wire_corpus"]

_FIRST = (
    "Amara Lena Jonas Priya Tomasz Hiroshi Grace Mateo Ingrid Kwame Sofia Daniel Aisha Oskar "
    "Farah Lucas Mei Rafael Noor Elena Samuel Ruth Yusuf Clara"
).split()
_LAST = (
    "Okafor Brandt Lindqvist Raman Nowak Tanaka Whitfield Alvarez Solberg Mensah Ricci Hartley "
    "Haddad Berg Qureshi Moreau Chen Duarte Karim Petrova Adeyemi Fischer Castillo Novak"
).split()
_PLACES = (
    "Lisbon Nairobi Osaka Toronto Krakow Valparaiso Tromso Accra Bilbao Hobart Tbilisi Quito "
    "Dundee Cork Tampere Leipzig Durban Perth Halifax Montevideo"
).split()
_TOPICS = {
    "Politics": (
        "council",
        "ministry",
        "coalition",
        "parliament",
        "budget",
        "referendum",
        "mayor",
        "opposition",
    ),
    "Business": (
        "shipping firm",
        "bakery chain",
        "start-up",
        "port authority",
        "energy supplier",
        "bank",
        "retailer",
        "brewery",
    ),
    "Science": (
        "research team",
        "observatory",
        "university lab",
        "marine institute",
        "seed bank",
        "climate station",
        "hospital",
        "museum",
    ),
    "Sport": (
        "rowing club",
        "football side",
        "cycling team",
        "chess federation",
        "rugby squad",
        "sailing crew",
        "athletics club",
        "ski school",
    ),
    "Culture": (
        "orchestra",
        "theatre company",
        "film festival",
        "library",
        "gallery",
        "publishing house",
        "dance troupe",
        "choir",
    ),
}
_VERBS = (
    "announced",
    "confirmed",
    "rejected",
    "delayed",
    "approved",
    "unveiled",
    "questioned",
    "defended",
    "expanded",
    "suspended",
    "welcomed",
    "criticised",
)
_OBJECTS = (
    "a plan to rebuild the harbour",
    "new rules on night-time noise",
    "a proposal for cheaper rail fares",
    "a study of coastal erosion",
    "the purchase of electric ferries",
    "a review of school meals",
    "a bid to host the regional games",
    "changes to water pricing",
    "a pilot for four-day weeks",
    "a survey of urban birds",
    "the closure of two branch offices",
    "funding for a flood barrier",
)
_CLAUSES = (
    "after months of talks with residents",
    "despite objections from local traders",
    "citing rising costs and a shortage of staff",
    "in a statement released on Tuesday",
    "following a vote that split the committee",
    "as officials prepared for the winter season",
    "according to figures seen by this newspaper",
    "two years after the first proposal was made",
    "while critics warned that the timetable was unrealistic",
    "with support from neighbouring towns",
)
_QUOTES = (
    "We have listened carefully and we believe this is the right decision for the city",
    "Nobody expected the numbers to move this quickly, and we are still catching up",
    "It is a difficult balance, but the evidence points in one direction",
    "People deserve a clear answer, not another round of consultations",
    "We will keep publishing the data so that everyone can check our work",
)
_FILLER = (
    "The figures published this week show a steady rise over the past three years.",
    "Similar measures have been tried elsewhere with mixed results.",
    "Officials said a final decision would be taken before the end of the year.",
    "Local groups have asked for the full report to be made public.",
    "The cost of the scheme has not yet been confirmed.",
    "Several neighbouring districts are watching the outcome closely.",
    "Earlier attempts stalled because of disagreements over funding.",
    "A public meeting is planned for next month.",
)
_DE = {
    "subjects": (
        "der Stadtrat",
        "das Ministerium",
        "die Reederei",
        "das Forschungsteam",
        "der Sportverein",
        "das Theater",
        "die Stadtwerke",
        "die Universität",
    ),
    "verbs": ("kündigte", "bestätigte", "verschob", "genehmigte", "kritisierte", "stellte"),
    "objects": (
        "einen Plan für den Hafen",
        "neue Regeln gegen nächtlichen Lärm",
        "günstigere Bahntickets",
        "eine Studie zur Küstenerosion",
        "den Kauf elektrischer Fähren",
        "eine Reform des Schulessens",
    ),
    "tails": (
        "am Dienstag an",
        "nach monatelangen Gesprächen vor",
        "trotz Einwänden der Händler vor",
        "in einer Mitteilung vor",
        "überraschend vor",
    ),
    "filler": (
        "Die in dieser Woche veröffentlichten Zahlen zeigen einen stetigen Anstieg.",
        "Ähnliche Maßnahmen wurden anderswo mit gemischtem Erfolg erprobt.",
        "Eine endgültige Entscheidung soll noch vor Jahresende fallen.",
        "Die Kosten des Vorhabens sind noch nicht bekannt.",
        "Mehrere Nachbarstädte verfolgen die Entwicklung aufmerksam.",
    ),
}


@dataclass(slots=True)
class Site:
    name: str
    domain: str
    lang: str
    byline_fmt: str  # "By {names}" / "Von {names}"
    date_fmt: str  # strftime pattern
    sections: tuple[str, ...]
    footer: tuple[str, ...]
    nav: tuple[str, ...]
    promo: str


SITES: tuple[Site, ...] = (
    Site(
        "The Harbour Courier",
        "harbourcourier.example",
        "en",
        "By {names}",
        "%B %d, %Y %H:%M",
        ("Politics", "Business", "Science", "Sport", "Culture"),
        ("About Us", "Contact the newsroom", "Advertise with Us", "Terms of Service", "Privacy Policy"),
        ("Home", "News", "Politics", "Business", "Science", "Sport", "Culture", "Opinion", "Podcasts"),
        "Get the Courier briefing every morning. Sign up for our free newsletter.",
    ),
    Site(
        "Northern Ledger",
        "northernledger.example",
        "en",
        "By {names}",
        "%d %B %Y, %H:%M",
        ("Politics", "Business", "Science", "Sport"),
        ("Help centre", "Work for us", "Cookie settings", "Accessibility", "Copyright © Northern Ledger Ltd"),
        ("Latest", "UK", "World", "Politics", "Business", "Science", "Sport", "Weather"),
        "Support independent journalism: subscribe from just a few pounds a month.",
    ),
    Site(
        "Daily Meridian",
        "dailymeridian.example",
        "en",
        "Written by {names}",
        "%Y-%m-%d %H:%M",
        ("Politics", "Science", "Culture", "Business"),
        ("Corrections", "Ethics policy", "Careers", "Sitemap", "All rights reserved"),
        ("Front page", "Politics", "Science", "Culture", "Business", "Video", "Newsletters"),
        "Want more stories like this? Join 40,000 readers of the Meridian weekly.",
    ),
    Site(
        "Rheinblick",
        "rheinblick.example",
        "de",
        "Von {names}",
        "%d.%m.%Y, %H:%M Uhr",
        ("Politik", "Wirtschaft", "Wissenschaft", "Sport"),
        ("Impressum", "Datenschutz", "Kontakt", "Mediadaten", "AGB"),
        ("Startseite", "Politik", "Wirtschaft", "Wissenschaft", "Sport", "Kultur", "Meinung"),
        "Jetzt den Newsletter abonnieren und keine Nachricht mehr verpassen.",
    ),
)

_DE_SECTION = {
    "Politics": "Politik",
    "Business": "Wirtschaft",
    "Science": "Wissenschaft",
    "Sport": "Sport",
    "Culture": "Kultur",
}


@dataclass(slots=True)
class Story:
    """The reporting behind a page: the same story can be published by several sites."""

    id: str
    topic: str
    headline: str
    dek: str
    paragraphs: list[str]
    subheads: dict[int, str]
    bullets: dict[int, list[str]]
    quote_at: int | None
    authors: list[str]
    published: datetime
    caption: str
    credit: str
    tags: list[str]
    wire: str | None = None  # "Reuters"-like agency when it is a wire story


@dataclass(slots=True)
class SyntheticPage:
    html: str
    text: str
    truth: dict[str, Any]
    url: str
    site: str
    story_id: str
    variant: str = "original"
    extra: dict[str, Any] = field(default_factory=dict)


def _sentence(rng: random.Random, topic: str, lang: str = "en") -> str:
    if lang == "de":
        if rng.random() < 0.3:
            return rng.choice(_DE["filler"])
        return (
            f"In {rng.choice(_PLACES)} {rng.choice(_DE['verbs'])} {rng.choice(_DE['subjects'])} "
            f"{rng.choice(_DE['objects'])} {rng.choice(_DE['tails'])}."
        )
    subject = rng.choice(_TOPICS[topic])
    place = rng.choice(_PLACES)
    shape = rng.randrange(4)
    if shape == 0:
        return (
            f"The {subject} in {place} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}, {rng.choice(_CLAUSES)}."
        )
    if shape == 1:
        return (
            f"{rng.choice(_CLAUSES).capitalize()}, the {subject} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}."
        )
    if shape == 2:
        return rng.choice(_FILLER)
    return f"In {place}, {rng.randint(2, 95)} per cent of those asked said they {rng.choice(('backed', 'opposed', 'had not heard of'))} {rng.choice(_OBJECTS)}."


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def make_story(rng: random.Random, index: int, *, wire: str | None = None, lang: str = "en") -> Story:
    topic = rng.choice(list(_TOPICS))
    place = rng.choice(_PLACES)
    subject = rng.choice(_TOPICS[topic])
    headline = f"{place} {subject} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
    if lang == "de":
        headline = f"{place}: {rng.choice(_DE['subjects']).split()[1]} {rng.choice(_DE['verbs'])} {rng.choice(_DE['objects'])}"
    headline = headline[0].upper() + headline[1:]
    paragraphs = []
    for _ in range(rng.randint(4, 9)):
        paragraphs.append(" ".join(_sentence(rng, topic, lang) for _ in range(rng.randint(2, 4))))
    subheads = {}
    if len(paragraphs) >= 6 and rng.random() < 0.6:
        subheads[rng.randint(3, len(paragraphs) - 2)] = rng.choice(
            ("What happens next", "The background", "A divided city", "Costs and benefits")
        )
    bullets = {}
    if rng.random() < 0.35:
        bullets[rng.randint(1, len(paragraphs) - 1)] = [
            f"{rng.choice(_PLACES)}: {rng.choice(_OBJECTS)}" for _ in range(rng.randint(2, 4))
        ]
    quote_at = rng.randint(1, len(paragraphs) - 1) if rng.random() < 0.5 else None
    return Story(
        id=f"s{index:06d}",
        topic=topic,
        headline=headline,
        dek=_sentence(rng, topic, lang),
        paragraphs=paragraphs,
        subheads=subheads,
        bullets=bullets,
        quote_at=quote_at,
        authors=[_name(rng) for _ in range(1 if rng.random() < 0.75 else 2)] if not wire else [],
        published=datetime(2024, 1, 1, 6, 0) + timedelta(minutes=rng.randrange(60 * 24 * 600)),
        caption=f"Residents gather near the {subject} in {place} on {rng.choice(('Monday', 'Tuesday', 'Friday', 'Saturday'))}",
        credit=f"{_name(rng)}/{rng.choice(('Courier Pictures', 'Staff Photographer', 'Pool', 'Wire Photos'))}",
        tags=[
            topic,
            place,
            *(
                [rng.choice(("Local Government", "Climate Change", "Public Transport", "Small Business"))]
                if rng.random() < 0.7
                else []
            ),
        ],
        wire=wire,
    )


def render_page(story: Story, site: Site, rng: random.Random, *, variant: str = "original") -> SyntheticPage:
    """A page of ``site`` carrying ``story``. Variants: original, edited_headline, extra_boilerplate, truncated."""
    paragraphs = list(story.paragraphs)
    headline = story.headline
    if variant == "edited_headline":
        headline = (
            rng.choice(("Update: ", "Breaking: ", ""))
            + headline.replace(" a ", " the ", 1)
            + rng.choice(("", " - officials"))
        )
    if variant == "truncated":
        paragraphs = paragraphs[: max(2, len(paragraphs) * 2 // 3)]
    section = story.topic if site.lang == "en" else _DE_SECTION[story.topic]
    authors = story.authors or ([story.wire] if story.wire else [_name(rng)])
    slug = "-".join(story.headline.lower().split()[:8])
    url = f"https://www.{site.domain}/{section.lower()}/{story.published:%Y/%m/%d}/{slug}-{story.id}"
    date_text = story.published.strftime(site.date_fmt)
    byline = site.byline_fmt.format(
        names=" and ".join(authors) if site.lang == "en" else " und ".join(authors)
    )
    others = [make_story(rng, 900000 + i) for i in range(5)]
    e = html.escape

    body_html: list[str] = []
    body_lines: list[str] = []
    truth_body: list[str] = []
    for i, para in enumerate(paragraphs):
        if i in story.subheads:
            body_html.append(f"<h2>{e(story.subheads[i])}</h2>")
            body_lines.append(story.subheads[i])
            truth_body.append(story.subheads[i])
        body_html.append(f"<p>{e(para)}</p>")
        body_lines.append(para)
        truth_body.append(para)
        if i in story.bullets:
            items = story.bullets[i]
            body_html.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in items) + "</ul>")
            body_lines.extend(items)
            truth_body.extend(items)
        if story.quote_at == i:
            q = f"“{rng.choice(_QUOTES)},” said {_name(rng)}, a spokesperson."
            body_html.append(f"<blockquote><p>{e(q)}</p></blockquote>")
            body_lines.append(q)
            truth_body.append(q)
        if i == 1 and variant == "extra_boilerplate":
            body_html.append(f'<aside class="inline-promo"><p>{e(site.promo)}</p></aside>')
            body_lines.append(site.promo)

    nav = "".join(f'<li><a href="/{x.lower()}">{e(x)}</a></li>' for x in site.nav)
    most_read = "".join(
        f'<li><a href="/s/{o.id}">{e(o.headline)}</a><span class="byline">{e(site.byline_fmt.format(names=o.authors[0] if o.authors else "Staff"))}</span></li>'
        for o in others
    )
    related = "".join(
        f'<li><a href="/r/{o.id}"><h3>{e(o.headline)}</h3><p>{e(o.dek)}</p></a></li>' for o in others[:3]
    )
    tags_html = "".join(f'<a rel="tag" href="/tag/{e(t.lower())}">{e(t)}</a>' for t in story.tags)
    footer = "".join(f"<li>{e(x)}</li>" for x in site.footer)
    ld_authors = ",".join(f'{{"@type":"Person","name":"{e(a)}"}}' for a in authors)
    page_html = f"""<!doctype html>
<html lang="{site.lang}"><head><meta charset="utf-8">
<title>{e(headline)} | {e(site.name)}</title>
<meta name="description" content="{e(story.dek)}">
<meta property="og:site_name" content="{e(site.name)}">
<meta property="og:title" content="{e(headline)}">
<link rel="canonical" href="{e(url)}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{e(headline)}","datePublished":"{story.published:%Y-%m-%dT%H:%M:00}","author":[{ld_authors}],"articleSection":"{e(section)}","publisher":{{"@type":"Organization","name":"{e(site.name)}"}}}}</script>
<script>window.dataLayer = [];</script>
</head><body>
<header class="site-header"><a class="logo" href="/">{e(site.name)}</a><nav class="main-nav"><ul>{nav}</ul></nav></header>
<div class="breadcrumb"><a href="/">{e(site.name)}</a> › <a href="/{section.lower()}">{e(section)}</a></div>
<main><article class="story">
<h1>{e(headline)}</h1>
<p class="dek">{e(story.dek)}</p>
<div class="byline"><span class="author">{e(byline)}</span> <time datetime="{story.published:%Y-%m-%dT%H:%M}">{e(date_text)}</time></div>
<figure class="lead"><img src="/img/{story.id}.jpg" alt=""><figcaption>{e(story.caption)} <span class="credit">(Photo: {e(story.credit)})</span></figcaption></figure>
<div class="article-body">
{chr(10).join(body_html)}
</div>
<div class="tags">Tags: {tags_html}</div>
<div class="newsletter-box"><p>{e(site.promo)}</p><form><input type="email"><button>Sign up</button></form></div>
</article>
<aside class="rail"><h2>Most Read</h2><ol>{most_read}</ol><h2>Related</h2><ul>{related}</ul></aside>
</main>
<footer class="site-footer"><ul>{footer}</ul><p>© {story.published.year} {e(site.name)}</p></footer>
</body></html>
"""
    text_lines = [
        f"{site.name} - " + " ".join(site.nav),
        f"{site.name} › {section}",
        "",
        headline,
        "",
        story.dek,
        "",
        byline,
        date_text,
        f"{story.caption} (Photo: {story.credit})",
        *body_lines,
        "",
        "Tags: " + ", ".join(story.tags),
        site.promo,
        "Most Read",
        *[f"{i + 1} {o.headline}" for i, o in enumerate(others)],
        "Related",
        *[f"{o.headline}\n{o.dek}" for o in others[:3]],
        *site.footer,
        f"© {story.published.year} {site.name}",
    ]
    truth = {
        "title": headline,
        "description": story.dek,
        "authors": authors,
        "published": story.published.strftime("%Y-%m-%dT%H:%M"),
        "section": section,
        "site_name": site.name,
        "tags": story.tags,
        "language": site.lang,
        "images": [
            {
                "url": f"https://www.{site.domain}/img/{story.id}.jpg",
                "caption": story.caption,
                "credit": story.credit,
            }
        ],
        "body": truth_body,
        "never_in_body": [site.promo, "Most Read", site.footer[0], story.caption],
    }
    return SyntheticPage(
        html=page_html,
        text="\n".join(text_lines) + "\n",
        truth=truth,
        url=url,
        site=site.name,
        story_id=story.id,
        variant=variant,
    )


def generate(n: int, seed: int = 0) -> list[SyntheticPage]:
    """``n`` pages of independent stories spread over the publishers."""
    rng = random.Random(seed)
    pages = []
    for i in range(n):
        site = SITES[i % len(SITES)]
        story = make_story(rng, i, lang=site.lang)
        pages.append(render_page(story, site, rng))
    return pages


def wire_corpus(n_stories: int, copies: tuple[int, int] = (1, 5), seed: int = 0) -> list[SyntheticPage]:
    """Stories published by one to several sites with edits: the truth for dedup is ``story_id``."""
    rng = random.Random(seed)
    pages: list[SyntheticPage] = []
    for i in range(n_stories):
        story = make_story(rng, i, wire=rng.choice((None, "Reuters", "Associated Press", "AFP")))
        count = rng.randint(*copies)
        sites = rng.sample([s for s in SITES if s.lang == "en"], k=min(count, 3))
        for j in range(count):
            site = sites[j % len(sites)]
            variant = (
                "original"
                if j == 0
                else rng.choice(("edited_headline", "extra_boilerplate", "truncated", "original"))
            )
            page = render_page(story, site, rng, variant=variant)
            if j >= len(sites):  # a repost on the same site under another URL
                page.url += f"-repost{j}"
            pages.append(page)
    rng.shuffle(pages)
    return pages
