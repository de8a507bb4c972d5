"""Picture credits printed the ways many publishers print them (``pipeline.figures``)."""

from __future__ import annotations

import json

import broadsheet
from broadsheet.pipeline.figures import split_credit

PROSE = (
    "<p>" + "The council met on Tuesday and voted on the new harbour plan after a long debate. " * 6 + "</p>"
)


def captions(body: str) -> list[tuple[str | None, str | None]]:
    """(caption, credit) of the pictures of a small article page holding ``body``."""
    html = f'<html lang="en"><head></head><body><article>{body}{PROSE}</article></body></html>'
    article = broadsheet.extract(html, "https://courier.example/news/harbour")
    assert article.ok, article.error
    return [(i.caption, i.credit) for i in article.images if i.caption or i.credit]


def test_credits_declared_in_data_attributes_of_the_picture_or_its_figure() -> None:
    body = (
        '<figure><img src="https://cdn.example/a.jpg" data-credit="Ann Lee/AP"></figure>'
        '<figure data-photo-credit="Jo Ray"><img src="https://cdn.example/b.jpg"></figure>'
        '<figure><img src="https://cdn.example/c.jpg" data-copyright="© Belga">'
        "<figcaption>The quay at dawn, seen from the water</figcaption></figure>"
        # a link is no credit
        '<figure><img src="https://cdn.example/d.jpg" data-copyright-url="https://wire.example/terms"></figure>'
    )
    assert sorted(captions(body), key=str) == [
        ("The quay at dawn, seen from the water", "Belga"),
        (None, "Ann Lee/AP"),
        (None, "Jo Ray"),
    ]


def test_microdata_and_test_hooks_name_the_credit_where_classes_are_hashes() -> None:
    body = (
        '<figure><img src="https://cdn.example/a.jpg"><figcaption class="x1">'
        '<span itemprop="caption">The cabaret in Paris</span> <span itemprop="creator">Ann Lee/Reuters</span>'
        "</figcaption></figure>"
        '<figure><img src="https://cdn.example/b.jpg"><figcaption class="css-1noo0su">'
        '<span data-theme-key="photo-credit-creditor" class="css-dgbau5">Jo Ray</span>'
        '<span class="css-tjljl5">//</span><span class="css-dgbau5">Getty Images</span></figcaption></figure>'
        '<figure><img src="https://cdn.example/c.jpg"><figcaption>Boats in the bay'
        '<span class="photo-attribution">Max Muster</span></figcaption></figure>'
    )
    assert captions(body) == [
        ("The cabaret in Paris", "Ann Lee/Reuters"),
        (None, "Jo Ray // Getty Images"),
        ("Boats in the bay", "Max Muster"),
    ]


def test_an_agency_printed_as_the_captions_last_part_is_its_credit_but_other_words_are_not() -> None:
    body = (
        '<figure><img src="https://cdn.example/a.jpg"><figcaption><p class="sc-a">Waves crash over the '
        'harbour wall during strong winds</p><p class="sc-b">PA</p></figcaption></figure>'
        '<figure><img src="https://cdn.example/b.jpg"><figcaption><p>Walkers wait at a crossing in Milan</p>'
        "<p>AFP via Getty Images</p></figcaption></figure>"
        '<figure><img src="https://cdn.example/c.jpg"><figcaption><p>The ferry leaves the harbour</p>'
        "<p>Learn More</p></figcaption></figure>"
    )
    assert captions(body) == [
        ("Waves crash over the harbour wall during strong winds", "PA"),
        ("Walkers wait at a crossing in Milan", "AFP via Getty Images"),
        ("The ferry leaves the harbour Learn More", None),
    ]


def test_credit_labels_and_supplied_pictures_in_more_languages() -> None:
    assert split_credit("Pääministeri keskiviikkona. Kuva: Ann Lee") == (
        "Pääministeri keskiviikkona.",
        "Ann Lee",
    )
    assert split_credit("A crowd outside the court. Pic: Jo Ray") == ("A crowd outside the court.", "Jo Ray")
    assert split_credit("Sebuah wisuda di Jakarta (Dok. Pribadi)") == (
        "Sebuah wisuda di Jakarta",
        "Dok. Pribadi",
    )
    # a parenthesis naming what the picture shows is not its credit
    assert split_credit("The mayor (left) with the harbour master") == (
        "The mayor (left) with the harbour master",
        None,
    )
    # a picture handed out by the people in it: English-language papers print where it came from
    assert split_credit("The lobby was rebuilt from the ground up. Supplied") == (
        "The lobby was rebuilt from the ground up.",
        "Supplied",
    )
    assert split_credit("The new ferry on its first run. Handout photo") == (
        "The new ferry on its first run.",
        "Handout photo",
    )
    assert split_credit("The harbour ran short of supplies. Supplies ran out") == (
        "The harbour ran short of supplies. Supplies ran out",
        None,
    )


def test_a_label_word_inside_a_name_is_no_label() -> None:
    # "Bildbyrån" holds "Bild" and "by": the credit is the whole name after "Foto:", not what follows "by"
    assert split_credit("Målet i sikte. Foto: Vegard Grøtt / Bildbyrån") == (
        "Målet i sikte.",
        "Vegard Grøtt / Bildbyrån",
    )
    # "credit" glued to the label word is still one ("Fotocredit"); "by" and "via" stand apart
    assert split_credit("Ein weiterer Coronafall Fotocredit: SID") == ("Ein weiterer Coronafall", "SID")
    assert split_credit("Rescue boats at dawn. Photos by Oakland Zoo") == (
        "Rescue boats at dawn.",
        "Oakland Zoo",
    )


def test_a_bracket_opened_before_the_label_closes_outside_the_credit() -> None:
    assert split_credit("The mayor at the harbour. [Photo = Jane Doe]") == (
        "The mayor at the harbour.",
        "Jane Doe",
    )
    assert split_credit("연설하고 있다. [사진 = 김혜진 기자]") == ("연설하고 있다.", "김혜진 기자")
    # a bracket the credit opens is its own
    assert split_credit("The pier. Photo: Jane Doe [M]") == ("The pier.", "Jane Doe [M]")


def test_a_caption_that_is_all_credit_names_no_subject() -> None:
    for text in ("Jane Doe/Instagram", "Ben Gabbe via Getty Images", "Getty Images", "Courtesy of Hilton"):
        assert split_credit(text) == ("", text), text
    assert split_credit("(Reuters)") == ("", "Reuters")
    # words joined by a slash that are no names, a sentence about an agency, a file name
    for text in (
        "Before/After",
        "Reuters reports the harbour closed",
        "2022/01/harbour_169266287-scaled.jpeg",
    ):
        assert split_credit(text) == (text, None), text


def test_a_credit_label_printed_without_its_colon() -> None:
    assert split_credit("Buses carried official signs. FOTO Archivo Particular") == (
        "Buses carried official signs.",
        "Archivo Particular",
    )
    assert split_credit("A graduate with honours/ Foto Pedro L. Rodríguez Gil") == (
        "A graduate with honours",
        "Pedro L. Rodríguez Gil",
    )
    # "FOTO ILUSTRATIVA" tells what kind of picture it is; "Heidi-Foto" is a word
    assert split_credit("FOTO ILUSTRATIVA") == ("FOTO ILUSTRATIVA", None)
    assert split_credit("What paparazzi earn with a Heidi-Foto Klum") == (
        "What paparazzi earn with a Heidi-Foto Klum",
        None,
    )


def test_an_article_pictures_alt_text_may_declare_its_credit_but_not_a_description() -> None:
    body = (
        '<div class="hero"><picture><img src="https://cdn.example/a.jpg" '
        'alt="A meteorite on the lawn © NDR Foto: Ann Lee"></picture></div>'
        '<div class="body-image"><img src="https://cdn.example/b.jpg" '
        'alt="Bild: Volunteers repair broken kettles and toasters in the hall"></div>'
        # a rail's teaser is not the article's picture
        '<aside><img src="https://cdn.example/c.jpg" alt="Ferry fares © Jo Ray"></aside>'
    )
    assert captions(body) == [(None, "Ann Lee")]


def test_only_the_first_picture_declaring_its_credit_in_its_alt_and_not_one_credited_already() -> None:
    first = '<div class="hero"><img src="https://cdn.example/a.jpg" alt="The quay © Foto: Ann Lee"></div>'
    second = '<div class="inline"><img src="https://cdn.example/b.jpg" alt="The ferry © Foto: Jo Ray"></div>'
    assert captions(first + second) == [(None, "Ann Lee")]
    # the captioned picture's larger rendition declares the credit its caption printed
    captioned = (
        '<figure><img src="https://cdn.example/boats.jpg"><figcaption>Boats in the bay at noon. '
        "Foto: Max Muster</figcaption></figure>"
        '<div class="zoom"><img src="https://zoom.example/full/8812.jpg" alt="Boats © Foto: Max Muster"></div>'
    )
    assert captions(captioned) == [("Boats in the bay at noon.", "Max Muster")]


def _page(head: str, body: str) -> list[tuple[str | None, str | None]]:
    html = f'<html lang="en"><head>{head}</head><body><article>{body}{PROSE}</article></body></html>'
    article = broadsheet.extract(html, "https://courier.example/news/harbour")
    assert article.ok, article.error
    return [(i.caption, i.credit) for i in article.images if i.caption or i.credit]


SHOWN = (
    '<figure><img src="https://cdn.example/quay-at-dawn-800x450.jpg">'
    "<figcaption>The quay at dawn, seen from the water</figcaption></figure>"
)


def test_json_ld_image_objects_fill_the_credit_of_a_shown_picture_by_its_address() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "NewsArticle", "headline": "Harbour plan"},
            {
                "@type": "ImageObject",
                "url": "https://cdn.example/quay-at-dawn.jpg",
                "creditText": "Ann Lee/AP",
            },
            # a picture the page does not show adds nothing
            {
                "@type": "ImageObject",
                "url": "https://cdn.example/b.jpg",
                "copyrightHolder": {"name": "Jo Ray"},
            },
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    assert _page(head, SHOWN) == [("The quay at dawn, seen from the water", "Ann Lee/AP")]


def test_a_credit_printed_on_the_page_wins_over_a_declared_one() -> None:
    ld = {"@type": "ImageObject", "url": "https://cdn.example/quay-at-dawn.jpg", "creditText": "Wire Service"}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    shown = SHOWN.replace("</figcaption>", ' <span class="credit">Photo: Ann Lee</span></figcaption>')
    assert _page(head, shown) == [("The quay at dawn, seen from the water", "Ann Lee")]


def test_page_state_scripts_fill_credits_by_caption_and_the_lead_by_address() -> None:
    state = {
        "props": {
            "article": {
                "image": {
                    "caption": "The quay at dawn, seen from the water",
                    "source": "picture alliance/dpa",
                }
            },
            # a teaser's picture is not on the page: its credit is not the article's
            "teasers": [{"caption": "Mayor resigns", "credit": "Jo Ray"}],
            "widget": {"caption": "A chart", "source": "https://data.example/feed"},
        }
    }
    head = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>'
    assert _page(head, SHOWN) == [("The quay at dawn, seen from the water", "picture alliance/dpa")]
    # Nuxt's payload: one flat array whose objects name their values by index
    nuxt = [
        {"lead": 1},
        {"caption": 2, "source": 3, "defaultUrl": 4},
        "Boats at sea",
        "dpa",
        "https://cdn.example/boats.jpg",
    ]
    head = (
        '<meta property="og:image" content="https://cdn.example/boats.jpg">'
        f'<script id="__NUXT_DATA__" type="application/json">{json.dumps(nuxt)}</script>'
    )
    assert _page(head, "") == [("Boats at sea", "dpa")]


def test_broken_or_deep_page_data_is_skipped() -> None:
    deep = '{"a":' * 5000 + "1" + "}" * 5000
    head = (
        '<script type="application/json">{"caption": "x", "credit": </script>'
        f'<script type="application/json">{deep}"caption"</script>'
    )
    assert _page(head, SHOWN) == [("The quay at dawn, seen from the water", None)]


def test_text_tests_agree_with_the_cleaned_text() -> None:
    # has_text and text_longer answer what node_text would, entities and mojibake included
    from selectolax.lexbor import LexborHTMLParser

    from broadsheet.pipeline.elements import has_text, node_text, text_longer

    pieces = [
        "",
        " ",
        "\u00ad",
        "&amp;nbsp;",
        "Â\u00a0",
        "Â\u00ad",
        "x",
        "a b",
        "A&amp;B",
        "word " * 60,
        "  spaced   out  " * 30,
        "Ã©tÃ©",
        "\u3000",
        "日本語",
    ]
    for piece in pieces:
        for markup in (f"<div>{piece}</div>", f"<div><span>{piece}</span> <b>{piece}</b></div>"):
            node = LexborHTMLParser(markup).css_first("div")
            assert node is not None
            text = node_text(node)
            assert has_text(node) == bool(text), markup
            for limit in (0, 1, 5, len(text) - 1, len(text), len(text) + 1, 100):
                if limit >= 0:
                    assert text_longer(node, limit) == (len(text) > limit), (markup, limit)


def test_captions_without_a_picture_or_a_credit_and_timestamps_are_not_pictures() -> None:
    body = (
        # caption-classed text with no picture near it and no credit: a teaser's or a widget's
        '<div class="teaser"><span class="caption">Other story: the ferry strike ends</span></div>'
        '<figure><img src="https://cdn.example/a.jpg"><figcaption>The quay at dawn</figcaption></figure>'
        # a timestamp printed where a caption goes names no picture
        '<figure><img src="https://cdn.example/b.jpg"><figcaption>Today at 20:07</figcaption></figure>'
    )
    assert captions(body) == [("The quay at dawn", None)]


def test_a_lone_credit_that_a_shown_picture_carries_already_is_not_another_picture() -> None:
    body = (
        '<figure><img src="https://cdn.example/a.jpg"><figcaption>The quay at dawn '
        '<span class="credit">Belga</span></figcaption></figure>'
        '<div class="lightbox"><p class="caption"><span class="credit">Belga</span></p></div>'
    )
    assert captions(body) == [("The quay at dawn", "Belga")]


def test_srcset_urls_keep_their_commas_and_size_renditions_are_one_picture() -> None:
    big = "https://img.example/free/ab12/?t=crop:6000:3721:0:140,resize:fill:1200:744,enlarge:1"
    small = "https://img.example/free/ab12/?t=crop:6000:3721:0:140,resize:fill:375:234,enlarge:1"
    body = (
        f'<figure><img src="{small}" srcset="{small} 375w, {big} 1200w">'
        "<figcaption>The quay at dawn</figcaption></figure>"
    )
    html = f'<html lang="en"><head></head><body><article>{body}{PROSE}</article></body></html>'
    article = broadsheet.extract(html, "https://courier.example/news/harbour")
    assert [i.url for i in article.images] == [big]
    # one picture in several renditions (the Sophora CMS's "_v-" names) is listed once
    head = '<meta property="og:image" content="https://www.example.de/news/quay142_v-contentxl.jpg">'
    body = '<figure><img src="/news/quay142_v-contentgross.jpg"><figcaption>The quay at dawn</figcaption></figure>'
    html = f'<html lang="de"><head>{head}</head><body><article>{body}{PROSE}</article></body></html>'
    article = broadsheet.extract(html, "https://www.example.de/news/quay")
    assert [(i.url, i.caption) for i in article.images] == [
        ("https://www.example.de/news/quay142_v-contentxl.jpg", "The quay at dawn")
    ]


def test_a_teasers_date_or_a_videos_running_time_is_no_credit() -> None:
    video = (
        '<figure><img src="https://cdn.example/quay-video.jpg"><figcaption>Boats leave the quay at dawn'
        '<span class="credit">26.10.2025 | 2:43 min</span></figcaption></figure>'
    )
    named = video.replace("26.10.2025 | 2:43 min", "Ann Lee/AP")
    assert captions(named) == [("Boats leave the quay at dawn", "Ann Lee/AP")]
    assert captions(video) == [("Boats leave the quay at dawn", None)]
