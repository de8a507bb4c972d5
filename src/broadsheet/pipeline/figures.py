"""The article's pictures, with their captions and credits.

Steps: read the caption elements the page scan found (``metadata_page.Visible``), each with the
picture in its figure or small box and its credit (a credit-classed part, a labelled line, or the
caption's tail); then image boxes' own text parts where no caption markup covers them; then
figures without a caption; last, pictures outside any figure captioned by the short text printed
after them. Captions in rails, navigation, footers and author boxes are not the article's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..article import Image
from .credits import AGENCIES, COPYRIGHT, COURTESY, CREDIT_LABEL, all_credit
from .dates import remove_dates
from .elements import (
    EXCLUDE_TAGS,
    FURNITURE,
    class_words,
    contains,
    excluded,
    has_text,
    inside,
    node_text,
    text_longer,
    text_pieces,
)
from .html import MEDIA_WORDS
from .metadata import is_agency
from .metadata_ld import clean_text
from .metadata_page import Visible
from .urls import join_url

__all__ = ["clean_credit", "data_pictures", "figures", "fill_from_data", "split_credit"]


_CREDIT_CLASS = re.compile(r"credit|copyright|source|photographer|byline|author|attribution|rights|cite")
_CJK_CREDIT = re.compile(r"(?:＝|（Ｃ）|\(C\)|ⓒ)\s*([^＝（）()]{1,30})$")
_NAME_BEFORE = re.compile(r"[.!?]\s+((?:[A-ZÀ-Ý][\w'’-]+\s+){1,3})$")
_TRAILING_PAREN = re.compile(r"\(([^()]{2,80})\)\s*$")
_AGENCY_TAIL = re.compile(
    r"(?:\s+|\s*[|/–—-]\s*)((?:[A-Z][\w.'-]+\s){0,3}[A-Z][\w.'-]+\s?/\s?(?:[A-Z][\w.'-]*\s?){1,4}|"
    rf"(?:{AGENCIES})\b.*)$"
)
#: "Caption sentence. Jane Doe/AP", "...하고 있다. 연합뉴스": a short unpunctuated tail after the last sentence.
_AFTER_SENTENCE = re.compile(r"^(.*[.!?。」”\"])\s+([^.!?。]{2,60})$")
_CJK_SOURCE = re.compile(
    r"^[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af][\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af \d]{1,11}$"
)
_CJK_ROLE = re.compile(r"\s*(?:기자|記者|撮影|摄)$")


def split_credit(text: str) -> tuple[str, str | None]:
    """A caption and its credit: "Caption. Foto: X", "Caption © X", "Caption＝共同", "Caption (X/Reuters)"."""
    text = " ".join(text.split())
    labels = list(CREDIT_LABEL.finditer(text))
    if labels:
        last = labels[-1]  # "Photo: X" that ends the caption, not one quoted inside it
        credit = _unbracketed(text[last.end() :].strip(" )|"))
        if credit and len(credit) <= 120:
            return text[: last.start()].strip(" |-–—("), credit
    m = _PHOTOGRAPHED.search(text)
    if m:
        return text[: m.start()].strip(), m.group(1).strip()
    for pattern in (COPYRIGHT, _CJK_CREDIT):
        m = pattern.search(text)
        if m:
            credit = (m.group(1) if m.groups() else text[m.end() :]).strip(" )|")
            if credit and len(credit) <= 120:
                return text[: m.start()].strip(" |-–—("), credit
    m = _TRAILING_PAREN.search(text)
    if m and m.start() == 0 and _names_source(m.group(1).strip()):
        return "", m.group(1).strip()  # "(The Harbour Times)" alone under a picture: its source
    if m and ("/" in m.group(1) or _AGENCY_TAIL.search(" " + m.group(1)) or _SUPPLIED.match(m.group(1))):
        # "… on Friday. Jane Doe (Reuters)": the photographer named before the agency
        named = _NAME_BEFORE.search(text[: m.start()])
        if named:
            return text[: named.start(1)].strip(), f"{named.group(1).strip()} ({m.group(1).strip()})"
        return text[: m.start()].strip(), m.group(1).strip()
    m = _PAREN_AFTER_SENTENCE.search(text)
    if m and _names_source(m.group(1)):
        return text[: m.start() + 1].strip(), m.group(1).strip()
    m = _TAIL_CREDIT.search(text)
    if m and _reads_as_credit(m.group(2), piped=m.group(1).strip() in ("|", "/")):
        return text[: m.start()].strip(), m.group(2).strip()
    m = _AFTER_SENTENCE.match(text)
    if m and _source_after_sentence(m.group(2)):
        return m.group(1).strip(), _CJK_ROLE.sub("", m.group(2)).strip()
    m = _BARE_LABEL.search(text)
    if m and len(m.group(1).split()) >= 2:  # "FOTO ILUSTRATIVA" tells the kind of picture
        end = m.start() + (text[m.start() : m.start() + 1] in ".!?")  # the sentence keeps its stop
        return text[:end].strip(" /|-–—("), m.group(1).strip(" )")
    if all_credit(text):
        return "", text
    return text, None


#: "… oficiales. FOTO Archivo Particular", "… Oro/ Foto Pedro L. Rodríguez Gil": a label without its
#: colon, after the caption's last sentence or a slash, then capitalised words to the end.
_BARE_LABEL = re.compile(
    r"(?:^|[.!?/|]\s*|\()(?:[Pp]hoto|PHOTO|[Ff]oto|FOTO|[Bb]ild|BILD|[Cc]redit|CREDIT)\s+"
    r"((?:[A-ZÀ-Ý][\w.'’-]*|de|del|la|van|von|der)(?:\s+(?:[A-ZÀ-Ý][\w.'’/-]*|de|del|la|van|von|der)){0,5}\)?)$"
)


def _source_after_sentence(segment: str) -> bool:
    """Whether the words after a caption's last sentence name its source: "Name/Agency", an agency,
    or (in CJK captions, which print the source so) a short run of CJK characters."""
    segment = segment.strip()
    if len(segment.split()) > 6:
        return False
    return bool(
        re.search(r"\w\s?/\s?\w", segment)
        or _AGENCY_TAIL.search(" " + segment)
        or _CJK_SOURCE.match(segment)
        or _HANDED_OUT.match(segment)
    )


#: "… from the ground up. Supplied", "… on Tuesday. Handout photo": the picture came from the people or
#: the company in it, which English-language papers print as its credit.
_HANDED_OUT = re.compile(
    r"(?i)^(?:supplied|handout|submitted|contributed)(?:\s+(?:photos?|images?|pictures?))?$"
)


#: "Caption | Jane Doe", "Caption - Jane Doe/AP", "Caption / Jane Doe": a short last segment after a separator.
_TAIL_CREDIT = re.compile(r"(\s\|\s?|\s[-–—/]\s)([^|–—]{2,60})$")
#: "…を出る容疑者＝13日（潟沼義樹撮影）": Japanese captions close on who photographed the scene.
_PHOTOGRAPHED = re.compile(r"[（(]([^（）()]{1,20}?)\s*撮影[）)]$")
#: "…denied meeting her. (AAP)": a short source in parentheses after the caption's last sentence.
_PAREN_AFTER_SENTENCE = re.compile(r"[.!?]\s*\(\s*([^()]{2,50}?)\s*\)$")
#: "(Dok. IGI)", "(Dok. Pribadi)": Indonesian and Malay captions credit a picture a source supplied so.
_SUPPLIED = re.compile(r"(?i)dok\.\s*\w")
#: "(Archivbild)", "(File photo)": what kind of picture it is, which the caption tells, not its source.
_PICTURE_KIND = re.compile(r"(?i)^(?:archiv|archive|file|symbol|illustrat|montage|foto|photo|bild|video)")


def _names_source(segment: str) -> bool:
    """Whether a parenthesised note after a caption's sentence reads as its source: a few words, the
    first capitalised, no sentence of its own, not the picture's kind ("Archivbild")."""
    words = segment.split()
    return (
        0 < len(words) <= 5
        and segment[:1].isupper()
        and not re.search(r"[.!?]\s", segment)
        and not _PICTURE_KIND.match(segment)
    )


def _reads_as_credit(segment: str, *, piped: bool) -> bool:
    """Whether a caption's last segment is a credit: "Name/Agency", an agency, or after a pipe a name."""
    segment = segment.strip()
    words = segment.split()
    if not words or len(words) > 6 or segment.endswith((".", "!", "?")):
        return False
    if re.search(r"\w\s?/\s?\w", segment) or _AGENCY_TAIL.search(" " + segment):
        return True
    return piped and len(words) <= 4 and all(w[:1].isupper() for w in words if w[:1].isalpha())


_SRCSET_URL = re.compile(r"[\s,]*(\S+)")
_SRCSET_DESCRIPTOR = re.compile(r"([^,]*)(?:,|$)")


def _srcset(value: str) -> list[tuple[str, str]]:
    """(url, descriptor) candidates of a ``srcset``, read as HTML does: a URL runs to the next space, so
    commas inside it ("...?t=crop:0:140,resize:375,enlarge:1 1x") stay its own."""
    out: list[tuple[str, str]] = []
    pos = 0
    while (m := _SRCSET_URL.match(value, pos)) is not None:
        url, pos = m.group(1), m.end()
        if url.endswith(","):  # a candidate without a descriptor
            out.append((url.rstrip(","), ""))
            continue
        d = _SRCSET_DESCRIPTOR.match(value, pos)
        if d is None:
            break
        out.append((url, d.group(1).strip().split(" ")[0]))
        pos = d.end()
    return out


def _image_url(img: Any, base: str | None) -> str | None:
    """The largest version of an image: ``srcset``'s widest candidate, else ``src``/lazy attributes."""
    if img is None:
        return None
    attrs = img.attributes
    best, best_w = None, -1.0
    for key in ("srcset", "data-srcset", "data-lazy-srcset"):
        for url, descriptor in _srcset(attrs.get(key) or ""):
            if url.startswith("data:"):
                continue
            width = 0.0
            if descriptor[:-1].replace(".", "", 1).isdigit():
                width = float(descriptor[:-1]) * (1000 if descriptor.endswith("x") else 1)
            if width > best_w:
                best, best_w = url, width
    if best is None:
        for key in ("data-src", "data-lazy-src", "data-original", "data-url", "src"):
            value = attrs.get(key)
            if value and not value.startswith("data:"):
                best = value
                break
    return join_url(base, best.strip()) if best else None


_PICTURES = "img, picture source, [data-src]"
#: Where a figure prints its credit: the class names publishers give it, schema.org microdata
#: (``itemprop="creator"``), and the test hooks of sites whose class names are hashes.
_CREDIT_NODES = (
    "cite, small, figure > footer, [class*=credit i], [class*=copyright i], [class*=source i], [class*=photographer i], "
    "[class*=author i], [class*=autor i], [class*=rights i], [class*=attribution i], "
    "[itemprop=creator i], [itemprop=copyrightHolder i], [itemprop=creditText i], [itemprop=copyrightNotice i], "
    "[itemprop=author i], [data-testid*=credit i], [data-test*=credit i], [data-qa*=credit i], "
    "[data-role*=copyright i], [data-role*=credit i], [data-theme-key*=credit i]"
)


#: Text parts of an image box named after it ("mediaSubtitle", "detail-img__description", an
#: "infotext" in a "mediaInfo"): captions on sites that print neither figcaption nor "caption".
MEDIA_TEXT = ", ".join(f"[class*={word} i]" for word in MEDIA_WORDS)  # html.Marked.media holds its matches
_MEDIA_TEXT_CLASS = re.compile(
    r"(?:media|image|img|photo|picture|bild|foto|pic)[\w-]*?(?:subtitle|description|desc|info|text|legend)"
)


def _media_captions(tree: Any, media: list[Any] | None = None) -> list[Any]:
    """Elements of image boxes that read as the picture's caption, outermost only; ``media``: what
    ``MEDIA_TEXT`` selects in the body, when the parse stage found it already (``html.Marked``)."""
    root = tree.body if tree is not None else None
    if root is None:
        return []
    found: list[Any] = []
    for node in root.css(MEDIA_TEXT) if media is None else media:
        parent = node.parent
        classes = (
            f"{node.attributes.get('class') or ''} {(parent.attributes.get('class') if parent else '') or ''}"
        )
        if _MEDIA_TEXT_CLASS.search(classes.lower()) and not (found and contains(found[-1], node)):
            found.append(node)
    return found


def figures(page: Visible, base: str | None, tree: Any = None, media: list[Any] | None = None) -> list[Image]:
    """Images of the article in page order, with captions and credits.

    A caption is a ``<figcaption>`` or an element whose class says caption (outside any
    ``<figure>`` as often as inside one); its image is the picture in the nearest enclosing
    figure or small container. Figures without a caption still give their image. Captions in
    rails of other articles, navigation and footers are not the article's.
    """
    images: list[Image] = []
    seen_pictures: set[int] = set()
    used = _read_captions(page.caption_nodes, base, images, seen_pictures)
    if tree is not None:
        # image boxes' own text parts ("img-description"), where no caption markup covers them
        more = [n for n in _media_captions(tree, media) if not any(_related(n, u) for u in used)]
        _read_captions(more, base, images, seen_pictures, new_pictures=True)
    for fig in page.figure_nodes:
        picture = fig.css_first(_PICTURES)
        if picture is None or picture.mem_id in seen_pictures or excluded(fig, depth=8):
            continue
        url = _image_url(picture, base)
        if not url:
            continue
        credit = _figure_credit(fig) or _attribute_credit(picture, fig)
        # a caption read without its picture that names the same credit is this figure's
        same = next((i for i in images if i.url is None and credit and i.credit == credit), None)
        if same is not None:
            same.url = url
        else:
            images.append(Image(url=url, credit=credit))
    if tree is not None and tree.body is not None:
        pictures = tree.body.css("img")  # both passes read every picture of the page
        images += _box_captions(pictures, base)
        _declared_credits(pictures, base, images)
    return images


def _declared_credits(pictures: list[Any], base: str | None, images: list[Image]) -> None:
    """The first article picture outside figures and caption boxes whose ``alt``/``title`` or ``data-``
    attribute declares a credit ("Ein Meteorit © NDR Foto: Jane Doe"): fill its entry, or add one.

    Only the first: the lead picture printed without a caption; further ones are as often a teaser's.
    """
    by_url = {i.url: i for i in images if i.url}
    for img in pictures:
        # the attributes first: few pictures declare a credit, and the walks up the tree cost more
        if (credit := _attribute_credit(img, img.parent)) is None or _small(img):
            continue
        if _in_figure(img) or excluded(img) or _in_link_or_list(img):
            continue
        url = _image_url(img, base)
        if not url or _not_photo_box(img, img.parent):
            continue
        known = by_url.get(url)
        if known is None and any(i.credit == credit for i in images):
            return  # the same picture in another size, already credited
        if known is None:
            images.append(known := Image(url=url))
        known.credit = known.credit or credit
        return


# Boxes that frame one picture and the few words printed under it, with no caption markup: sites
# whose class names are hashes ("sc-eBMEME") or utilities ("text-xs mt-1") name no role.
_BOX_LEVELS = 4
_BOX_MAX_CHARS = 400
_MIN_PICTURE_PX = 120  # declared smaller: an icon, avatar or logo
_MARKED_BOX = (
    "figure, figcaption, [class*=caption i], [class*=bildunterschrift i], a, h1, h2, h3, h4, button, time"
)


def _box_captions(pictures: list[Any], base: str | None) -> list[Image]:
    """Pictures (``<img>``) outside any figure captioned by the short text printed after them in their box."""
    images: list[Image] = []
    boxes: set[int] = set()
    for img in pictures:
        if _small(img) or _in_figure(img):
            continue
        box, parts, first = _picture_box(img)
        if box is None:
            box, parts, first = _line_after(img)
        if box is None or box.mem_id in boxes or len(parts) > 3:
            continue
        boxes.add(box.mem_id)
        caption, credit = _parts_caption(parts)
        if not credit and len(parts) == 1 and _credit_classed(first, box):
            caption, credit = None, clean_credit(CREDIT_LABEL.sub("", parts[0], count=1))
        if not credit and len((caption or "").split()) < 3:
            continue  # a menu entry or a label beside an icon
        if _in_link_or_list(box) or _not_photo_box(img, box) or _figure_excluded(first):
            continue  # a teaser card (linked or listed), a video or dialog, or a picture in a rail
        credit = credit or _attribute_credit(img, box)
        images.append(Image(url=_image_url(img, base), caption=caption, credit=credit))
    return images


#: Boxes of a picture that is not the article's photograph: a video poster, a share preview, a
#: comment call, a pop-up.
_NOT_PHOTO_BOX = re.compile(
    r"video|player|podcast|audio|share(?!d)|comment|dialog|modal|popup|overlay|newsletter"
)


def _not_photo_box(img: Any, box: Any) -> bool:
    """Whether the picture, its box or the box's near wrappers are named for something else than a photo."""
    current = img.parent
    above = -1
    while current is not None and above < 3:
        if _NOT_PHOTO_BOX.search(class_words(current)):
            return True
        if current.mem_id == box.mem_id or above >= 0:
            above += 1
        current = current.parent
    return False


def _credit_classed(node: Any, box: Any) -> bool:
    """Whether the element of a picture's lone line, or a wrapper of it inside the box, is named a credit."""
    current = node
    while current is not None and current.mem_id != box.mem_id:
        if _CREDIT_CLASS.search(class_words(current)):
            return True
        current = current.parent
    return False


def _in_link_or_list(node: Any) -> bool:
    current = node
    for _ in range(8):
        if current is None or current.tag in ("article", "main", "body"):
            return False
        if current.tag in ("a", "li", "nav", "footer"):
            return True
        if current.tag == "header" and current.css_first("h1") is None:
            return True  # a card's header; the article's own (with its headline) holds its lead picture
        current = current.parent
    return False


def _small(img: Any) -> bool:
    attrs = img.attributes  # a new dict at each call: read once
    sizes = [attrs.get(k) or "" for k in ("width", "height")]
    return any(v.isdigit() and 0 < int(v) < _MIN_PICTURE_PX for v in sizes)  # 0: not declared


def _in_figure(node: Any) -> bool:
    current = node.parent
    for _ in range(6):
        if current is None:
            return False
        if current.tag in ("figure", "figcaption"):
            return True
        current = current.parent
    return False


def _picture_box(img: Any) -> tuple[Any, list[str], Any]:
    """The nearest ancestor of ``img`` that holds text, the text parts after the picture in it, and
    the element of the first part.

    None when that box holds other pictures, caption markup, links or headings (a teaser card, a
    rail), text before the picture, or more than a caption's worth of words.
    """
    holder, box = img, img.parent
    for _ in range(_BOX_LEVELS):
        if box is None or box.tag in ("body", "html", "article", "main", "p", "li", "td"):
            return None, [], None
        if has_text(box):
            break
        holder, box = box, box.parent
    else:
        return None, [], None
    if text_longer(box, _BOX_MAX_CHARS) or len(box.css("img")) > 1 or inside(box, _MARKED_BOX):
        return None, [], None
    parts: list[str] = []
    first = None
    after = False
    last_parent = -1
    credit_above = None
    for child in box.traverse(include_text=True):
        if child.mem_id == holder.mem_id:
            after = True
        elif child.tag == "-text" and (value := clean_text(child.text_content or "")):
            if not after or contains(holder, child):
                if credit_above is None and len(value) <= 80 and CREDIT_LABEL.match(value):
                    credit_above = value  # "Foto: Jane Doe" printed over the picture
                    continue
                return None, [], None  # words before the picture: not a caption box
            if parts and child.parent.mem_id == last_parent:
                parts[-1] += " " + value
            else:
                parts.append(value)
            last_parent = child.parent.mem_id
            first = first or child.parent
    if credit_above and parts:
        parts.append(credit_above)
    return box, parts, first


def _line_after(img: Any) -> tuple[Any, list[str], Any]:
    """In the article's flow of paragraphs, a short non-paragraph block right after the picture's
    block ("<div><picture/></div><div><span>Caption</span></div><p>…"): its caption."""
    holder = img
    for _ in range(_BOX_LEVELS):
        parent = holder.parent
        if parent is None or has_text(parent):
            break
        holder = parent
    else:
        return None, [], None
    line = _next_element(holder)
    if line is None or line.tag not in ("div", "span", "small") or _next_element(line) is None:
        return None, [], None
    if _next_element(line).tag != "p" or line.css_first("a, img, h1, h2, h3, h4, p, button") is not None:
        return None, [], None
    text = node_text(line)
    if not text or len(text) > 150:
        return None, [], None
    return line, [text], line


def _next_element(node: Any) -> Any:
    sib = node.next
    while sib is not None and sib.tag in ("-text", "-comment") and not (sib.text_content or "").strip():
        sib = sib.next
    return sib if sib is not None and sib.tag not in ("-text", "-comment") else None


def _parts_caption(parts: list[str]) -> tuple[str | None, str | None]:
    """(caption, credit) of a box's text parts: a short last part after the caption is its credit."""
    if not parts:
        return None, None
    if len(parts) == 1 and is_agency(parts[0]):
        return None, parts[0]  # "Anadolu Ajansı" printed over the picture
    last = parts[-1]
    credit: str | None
    if len(parts) >= 2 and len(last) <= 50 and len(last.split()) <= 5 and not last.endswith((".", "!", "?")):
        caption, credit = " ".join(parts[:-1]), CREDIT_LABEL.sub("", last, count=1)
    else:
        caption, credit = split_credit(" ".join(parts))
    return caption.strip(" |-–—/:") or None, clean_credit(credit or "")


_LETTER = re.compile(r"[^\W\d_]")
_AD_LABEL = re.compile(
    r"(?i)^(?:advertisement|advertising|anzeige|werbung|reklama|publicidad|publicité|annonce|pubblicità|"
    r"sponsored|gesponsert|reclame|advertentie)\s*(?::|$)"
)


def _a_time(text: str) -> bool:
    """Whether ``text`` is a date or time with at most two words around it ("Vandaag om 20:07",
    "Updated 5 May 2024"): a timestamp printed in a caption's place."""
    rest = remove_dates(text)
    return rest != text and len(_LETTER_WORD.findall(rest)) <= 2


_LETTER_WORD = re.compile(r"[^\W\d_]+")


def _related(a: Any, b: Any) -> bool:
    return a.mem_id == b.mem_id or contains(a, b, depth=6) or contains(b, a, depth=6)


def _read_captions(
    nodes: list[Any], base: str | None, images: list[Image], seen: set[int], *, new_pictures: bool = False
) -> list[Any]:
    """Append the images that caption ``nodes`` describe; return the nodes read (or judged a rail's).

    ``new_pictures``: skip captions whose picture is already in ``seen`` (a second reading).
    """
    used: list[Any] = []
    outer: Any = None
    for node in nodes:
        if outer is not None and contains(outer, node, depth=6):
            continue  # a caption's own parts (text, credit) are read with it
        held = node.css("img, picture") if node.tag not in ("figure", "img", "picture") else None
        if held is None or (held and (len(held) > 2 or inside(node, _INNER_CAPTION))):
            continue  # a box around a figure and its caption: the caption inside is read instead
        if _figure_excluded(node) or node.css_first(_AUTHOR_MARKS) is not None or _in_author_box(node):
            outer = node
            used.append(node)
            continue  # a rail's teaser, or an author's portrait captioned with the byline
        caption, credit = _caption_text(node)
        if caption and (not _LETTER.search(caption) or _AD_LABEL.match(caption) or _a_time(caption)):
            # "02/02/2025", "1/12", "Today at 20:07": a date or a gallery counter; an advert's label
            caption = None
        if (not credit and (not caption or len(caption) < 8)) or (held and not caption):
            continue  # "Anmelden", "Mein Konto": widget labels in caption-classed elements
        outer = node
        picture = (
            node.css_first(_PICTURES) if held else _picture_near(node)
        )  # <p class="caption"><picture>…</picture>Text
        if picture is not None:
            if new_pictures and picture.mem_id in seen:
                continue
            seen.add(picture.mem_id)
        used.append(node)
        credit = credit or _attribute_credit(picture, _image_box(node))
        images.append(Image(url=_image_url(picture, base), caption=caption, credit=credit))
    return used


#: ``data-credit``, ``data-copyright``, ``data-photographer``, ``data-portal-copyright``: attributes
#: that carry the picture's credit for a lightbox or a script to print.
_CREDIT_ATTRIBUTE = re.compile(
    r"^data-(?:[\w-]*-)?(?:credits?|copyright|photographer|fotograf|urheber)(?:-text)?$"
)


def _data_credit(attributes: dict[str, str | None]) -> str | None:
    """The credit a picture or its figure declares in a ``data-`` attribute (not a URL or a number)."""
    for key, value in attributes.items():
        if not value or not key.startswith("data-") or not _CREDIT_ATTRIBUTE.match(key):
            continue
        text = " ".join(value.split())
        if 1 < len(text) <= 120 and _LETTER.search(text) and not re.match(r"(?i)(?:https?:|/|www\.)", text):
            return clean_credit(CREDIT_LABEL.sub("", text, count=1))
    return None


def _attribute_credit(picture: Any, box: Any = None) -> str | None:
    """A credit the picture declares: a ``data-credit``-like attribute of it or its ``box``, else its
    ``title`` or ``alt`` after a label ("… | Bildquelle: WDR/Jo Ray")."""
    if picture is None:
        return None
    img = picture if picture.tag == "img" else (picture.parent.css_first("img") if picture.parent else None)
    if img is None:
        return None
    attributes = img.attributes  # a new dict at each call: read once
    if found := _data_credit(attributes):
        return found
    for node in (box,) if picture is img else (picture, box):
        if node is not None and (found := _data_credit(node.attributes)):
            return found
    for key in ("title", "alt"):
        raw = attributes.get(key)
        # what every label and copyright sign needs: most alt texts have none of it. No hint holds a space,
        # so the raw text holds one exactly when the text with its spaces collapsed does.
        if not raw or not _CREDIT_HINT.search(raw):
            continue
        text = " ".join(raw.split())
        labels = list(CREDIT_LABEL.finditer(text)) or list(COPYRIGHT.finditer(text))
        # "Click to play video: 'Title'" names no one
        if labels and 0 < len(text) - labels[-1].end() <= 80 and "video" not in labels[-1].group(0).lower():
            credit = clean_credit(text[labels[-1].end() :])
            if credit and _names_like(credit):
                return credit
    return None


#: A necessary part of any match of ``CREDIT_LABEL`` or ``COPYRIGHT``, found much faster than they are.
_CREDIT_HINT = re.compile(r"(?i)[:：=©]|credit|by|via|courtesy|\(c\)|copyright")
_CONNECTIVES = frozenset(
    {"via", "and", "und", "de", "del", "da", "do", "la", "van", "von", "der", "for", "by", "in"}
)


def _names_like(credit: str) -> bool:
    """Whether a credit read from an ``alt`` reads as names ("imago images, Pressefoto Baumann", "privat"),
    not as a description that followed a label ("Bild: Ehrenamtler reparieren defekte Geräte")."""
    if re.search(r"(?i)\.(?:png|jpe?g|gif|webp|svg)\b", credit):
        return False  # a file name
    named = re.sub(rf"\b(?:{AGENCIES})\b", "Agency", credit, flags=re.I)  # "picture alliance/dpa"
    words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", named) if w.lower() not in _CONNECTIVES]
    lower = sum(1 for w in words if w[:1].islower())
    # one or two words are a name however written ("privat", "zvg", "screenshot")
    return bool(words) and len(words) <= 10 and (len(words) <= 2 or lower * 2 <= len(words))


def _figure_credit(fig: Any) -> str | None:
    """The credit of a figure printed without a caption (``<footer class="credit">`` under it)."""
    for node in inside(fig, _CREDIT_NODES)[:2]:
        text = node_text(node)
        if text and len(text) <= 120 and _CREDIT_LABEL_TAIL.sub("", text):
            return clean_credit(CREDIT_LABEL.sub("", text, count=1))
    return None


_AUTHOR_MARKS = "address, a[rel~=author]"
_INNER_CAPTION = "figcaption, [class*=caption i], [class*=bildunterschrift i]"
_AUTHOR_BOX = re.compile(r"\b(?:authors?|byline|autor|autoren)\b")


def _in_author_box(node: Any) -> bool:
    """A caption-styled line of the author box ("authorFunction": the writer's role or agency)."""
    current = node
    for _ in range(3):
        if current is None:
            return False
        if _AUTHOR_BOX.search(class_words(current)):
            return True
        current = current.parent
    return False


def _image_box(caption: Any) -> Any:
    """The element that frames a caption and its picture: the enclosing figure, else the nearest
    ancestor holding a picture; None when neither is within a few levels."""
    node = caption.parent
    for _ in range(4):
        if node is None or node.tag in ("body", "html", "article", "main"):
            return None
        if node.tag == "figure":
            return node
        if node.tag in EXCLUDE_TAGS and node.tag != "aside":
            return None  # a caption-styled label in a menu: judged as any element there
        pictures = node.css(_PICTURES)
        if pictures:
            return node if len([p for p in pictures if p.tag == "img"]) <= 2 else None
        node = node.parent
    return None


#: Furniture words that also name how a lone figure is laid out (floated, boxed), not a rail.
_LAYOUT_WORDS = frozenset({"widget", "sidebar"})


def _figure_excluded(caption: Any) -> bool:
    """Whether a caption sits in a rail, navigation or footer, judged from its image box outward.

    The classes of a figure's own parts ("image-footer", "widget__caption", an ``<aside>`` holding
    one picture) describe the figure, not the page around it.
    """
    box = _image_box(caption)
    if box is None:
        return excluded(caption, depth=10)
    if any(n is not None and _AUTHOR_BOX.search(class_words(n)) for n in (box, box.parent)):
        return True  # the author's portrait beside the byline
    current = box.parent
    size = len(node_text(box))
    # wrappers around the figure alone ("widget__contents", a "sidebar" box floating the lead
    # picture beside the text) are the figure's own
    for _ in range(4):
        if current is None or current.tag in ("article", "main", "body", *EXCLUDE_TAGS):
            break
        found = FURNITURE.search(class_words(current))
        if (found and found.group(0) not in _LAYOUT_WORDS) or text_longer(current, size + 5):
            break
        current = current.parent
    for _ in range(9):
        if current is None or current.tag in (None, "html", "body", "-document", "article", "main"):
            return False
        if current.tag in EXCLUDE_TAGS:
            return True
        found = FURNITURE.search(class_words(current))
        if (
            found
            and not (found.group(0) == "teaser" and _lone_teaser(current))
            and not (found.group(0) in _GALLERY_WORDS and _photo_gallery(current))
            and not _holds_headline(current)
        ):
            return True
        current = current.parent
    return False


#: Furniture words that name a picture gallery as often as a rail of teasers.
_GALLERY_WORDS = frozenset({"carousel", "slider"})


def _photo_gallery(node: Any) -> bool:
    """A carousel of captioned pictures that link nowhere: the article's own gallery. A rail of teasers
    links every picture to its story."""
    return node.css_first("figcaption") is not None and node.css_first("a[href] img, a[href] picture") is None


def _holds_headline(node: Any) -> bool:
    """Whether a container named like furniture ("sidebar-grid", "right-rail__main", "article-widgets")
    holds the page's headline or the article's prose: then it is the page's layout around the article,
    not a rail beside it (rails hold teasers and links, not paragraphs of running text)."""
    if node.css_first("h1") is not None:
        return True
    long_paragraphs = 0
    for para in node.css("p"):
        if len(para.text()) >= _PROSE_CHARS:
            long_paragraphs += 1
            if long_paragraphs >= 3:
                return True
    return False


_PROSE_CHARS = 200


def _lone_teaser(node: Any) -> bool:
    """A "teaser-image" box with no sibling of its kind: the article's lead picture, not a rail item.

    A rail repeats its teasers side by side under one parent; a lead is printed once.
    """
    cls = node.attributes.get("class")
    parent = node.parent
    if (
        not cls
        or parent is None
        or not re.search(r"teaser[\w-]*(?:image|img|media|picture|bild)", cls.lower())
    ):
        return False
    return sum(1 for sib in parent.iter() if sib.attributes.get("class") == cls) == 1


def _picture_near(caption: Any) -> Any:
    """The picture a caption belongs to: in its figure, else in a parent holding one picture."""
    node = caption.parent
    for _ in range(4):
        if node is None or node.tag in ("body", "html", "article", "main"):
            return None
        pictures = node.css(_PICTURES)
        if node.tag == "figure" and pictures:
            return pictures[0]
        if pictures:
            imgs = [p for p in pictures if p.tag == "img"]
            return pictures[0] if len(imgs) <= 2 else None
        node = node.parent
    return None


def _caption_text(cap: Any) -> tuple[str | None, str | None]:
    """(caption, credit) of a caption element: credit from its credit-classed part, else its text."""
    full = _shown_text(cap)
    if len(full) > 800:
        return None, None
    credit = None
    caption = full
    for node in inside(cap, _CREDIT_NODES):
        text = node_text(node)
        if not _CREDIT_LABEL_TAIL.sub("", text):
            # the label ("Foto:", "Copyright") printed in an element of its own, perhaps left empty
            caption = _CREDIT_LABEL_TAIL.sub(
                "", caption.replace(f"({text})", "").replace(text, " ", 1).strip()
            )
            continue
        if text == full and node.tag != "small" and len(text) <= 120:
            return None, clean_credit(CREDIT_LABEL.sub("", text, count=1))  # a caption that is all credit
        if text and len(text) <= 150 and text != full:
            credit = text
            caption = (
                _shown_text(cap, node) if caption == full else " ".join(caption.replace(text, " ").split())
            )
            # "Photo by <span>Jane Doe</span> / AFP via Getty": the label's reading holds all of it
            whole, labelled = split_credit(full)
            bare = CREDIT_LABEL.sub("", text, count=1)
            rest = (labelled or "").removeprefix(bare).strip()
            if (
                labelled
                and labelled.startswith(bare)
                and len(rest) <= 60
                and rest.startswith(("/", ";", "via "))
            ):
                caption, credit = whole, labelled
            break
    if credit is not None and (more := _continues_credit(caption)):
        credit, caption = f"{credit} {more}", ""  # "<span class=credit>Jane Doe</span> // Getty Images"
    if credit is None:
        caption, credit = split_credit(caption)
    tail = _last_part(cap) if credit is None else None
    # "… 21/05/2020 18h57" is a date, not a name and its agency
    if tail and caption.endswith(tail) and _reads_as_credit(tail, piped=False) and _LETTER.match(tail):
        caption, credit = caption[: -len(tail)], tail  # "<p>Caption</p><p>AFP via Getty Images</p>"
    if credit is None and (lead := _line_above(cap)) is not None:
        credit = lead
        caption = caption.removeprefix(lead).strip()
    if credit is None:
        credit = _credit_beside(cap)
    else:
        credit = CREDIT_LABEL.sub("", credit, count=1)
        caption = _CREDIT_LABEL_TAIL.sub("", caption)
    return (caption or "").strip(" |-–—/:") or None, clean_credit(credit or "")


def _continues_credit(rest: str) -> str | None:
    """What is left of a caption after its credit part when it only goes on with the credit: a
    separator, then a few words ("// Getty Images", "/ AFP", "via Reuters")."""
    rest = rest.strip()
    if not re.match(r"(?:/|\||;|via\s)", rest):
        return None
    words = rest.lstrip("/|; ").split()
    return rest if 0 < len(words) <= 4 and len(rest) <= 60 and not rest.endswith((".", "!", "?")) else None


def _last_part(cap: Any) -> str | None:
    """The text of the caption's last element when text comes before it: a part printed apart."""
    last = cap.last_child
    while (
        last is not None and last.tag in ("-text", "-comment", "br") and not (last.text_content or "").strip()
    ):
        last = last.prev
    if last is None or last.tag in ("-text", "-comment", "a"):
        return None
    text = node_text(last)
    return text if text and len(text) <= 80 and len(text) < len(node_text(cap)) else None


def _line_above(cap: Any) -> str | None:
    """A short line of its own printed above the caption text ("<span>Jane Doe/AP</span><br>Caption."):
    the credit, when a sentence follows it."""
    first = cap.child
    while first is not None and first.tag == "-text" and not (first.text_content or "").strip():
        first = first.next
    if first is None or first.tag not in ("span", "strong", "small", "em", "b", "cite"):
        return None
    brk = first.next
    while brk is not None and brk.tag == "-text" and not (brk.text_content or "").strip():
        brk = brk.next
    text = node_text(first)
    if (
        brk is None
        or brk.tag != "br"
        or not text
        or len(text.split()) > 5
        or text.endswith((".", ":", "!", "?"))
    ):
        return None
    rest = node_text(cap).removeprefix(text).strip()
    return text if len(rest) >= 3 * len(text) and rest.endswith((".", "!", "?", "。")) else None


def _shown_text(node: Any, part: Any = None) -> str:
    """``node``'s text without that of ``part`` (its credit, wherever the same words occur in it) and
    of elements marked ``hidden`` ("Show more" until a click)."""
    hidden = inside(node, "[hidden]")
    if part is None and not hidden:
        return node_text(node)
    return clean_text(" ".join(text_pieces(node, [*hidden, part] if part is not None else hidden)))


#: "All rights reserved" and "/2024 The AP": the notice around a credit, not who made the picture.
_RIGHTS = re.compile(
    r"(?i)[\s.,;]*(?:all rights reserved|tous droits réservés|alle rechte vorbehalten|"
    r"todos los derechos reservados|tutti i diritti riservati)\.?"
)
_YEAR_NOTICE = re.compile(r"\s*/\s*(?:19|20)\d\d\b[^/]{0,40}$")


_WIRE_MARK = re.compile(r"\s*\+\+\+[^+]*\+\+\+")  # "+++ dpa-Bildfunk +++": the wire's routing tag


def clean_credit(text: str) -> str | None:
    """A credit without "©", a rights notice or a year-led copyright line after the name."""
    text = COPYRIGHT.sub("", " ".join(text.split()))
    while (label := CREDIT_LABEL.match(text)) and label.end() < len(text):
        text = text[label.end() :]  # "Credit: Photo: PA": a label left before the name
    text = _RIGHTS.sub("", text).strip() or text  # a notice alone is still the credit printed
    text = COURTESY.sub("", _WIRE_MARK.sub("", text))
    if "/" in text:
        text = _YEAR_NOTICE.sub("", text)
    text = text.strip(" :()|,;-–—/")
    if text.count("(") > text.count(")"):
        text += ")"  # "Jane Doe (KNA)": the closing parenthesis is the credit's own
    return _unbracketed(text) or None


def _unbracketed(credit: str) -> str:
    """A credit without a closing bracket it does not open: "[사진=Jane Doe]" opened it before the label."""
    if credit.endswith("]") and credit.count("[") < credit.count("]"):
        return credit[:-1].rstrip()
    return credit


def _credit_beside(cap: Any) -> str | None:
    """A credit printed next to the caption: a credit-classed sibling, or one in the same figure."""
    box = cap.parent
    for _ in range(2):
        if box is None or box.tag in ("body", "article", "main") or len(box.css("img")) > 1:
            return None  # a box of several pictures: whose credit would it be?
        found = [n for n in inside(box, _CREDIT_NODES) if not contains(cap, n) and n.mem_id != cap.mem_id]
        texts = [t for n in found[:2] if (t := node_text(n)) and len(t) <= 150]
        if texts:
            return CREDIT_LABEL.sub("", texts[0], count=1) or None
        if box.tag == "figure":
            return _labelled_line(box, cap)
        box = box.parent
    return None


def _labelled_line(fig: Any, cap: Any) -> str | None:
    """A line of the figure outside its caption that a credit label opens ("Foto: Jane Doe")."""
    for node in fig.traverse(include_text=True):
        if node.tag != "-text" or contains(cap, node):
            continue
        text = clean_text(node.text_content or "")
        label = CREDIT_LABEL.match(text)
        if label and 0 < len(text) - label.end() <= 120:
            return text[label.end() :].strip() or None
    return None


_CREDIT_LABEL_TAIL = re.compile(
    r"(?i)[\s(|/-]*(?:photo|image|picture|foto|bild|credit|quelle|copyright|©)s?\s*:?\s*\)?\s*$"
)


# ------------------------------------------------------------------------------------ declared data

#: Keys under which a JSON-LD ImageObject names its credit, and a framework's state a picture's
#: (where "author" is as often the article's writer).
_LD_CREDIT_KEYS = ("creditText", "copyrightHolder", "author", "creator", "copyrightNotice")
_DATA_CREDIT_KEYS = ("credit", "credits", "photographer", "copyright", "copyrightHolder", "source")
_DATA_URL_KEYS = ("url", "contentUrl", "src", "defaultUrl", "imageUrl")
_MAX_DATA_NODES = 100_000  # values looked at in one page's data scripts
_TAG = re.compile(r"<[^>]{0,200}>")


def data_pictures(image_objects: list[dict[str, Any]], scripts: list[str]) -> list[Image]:
    """Pictures with a credit that the page declares as data: JSON-LD ImageObjects, and objects with a
    ``caption`` and a credit in its JSON data scripts (``__NEXT_DATA__``, Nuxt's ``__NUXT_DATA__``)."""
    found = [p for obj in image_objects[:200] if (p := _data_picture(obj, _LD_CREDIT_KEYS)) is not None]
    budget = _MAX_DATA_NODES
    for text in scripts:
        try:
            root = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue
        # Nuxt's payload is one flat array whose objects name their values by index in it
        refs = root if isinstance(root, list) else None
        for obj in _objects(root, budget):
            budget -= 1
            if "caption" in obj and (picture := _data_picture(obj, _DATA_CREDIT_KEYS, refs)) is not None:
                found.append(picture)
        if budget <= 0:
            break
    return found


def _objects(root: Any, budget: int) -> list[dict[str, Any]]:
    """The objects in a JSON value, depth first, at most ``budget`` of them."""
    out: list[dict[str, Any]] = []
    stack = [root]
    while stack and len(out) < budget:
        item = stack.pop()
        if isinstance(item, dict):
            out.append(item)
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))
    return out


def _data_picture(obj: dict[str, Any], keys: tuple[str, ...], refs: list[Any] | None = None) -> Image | None:
    """A declared picture with its credit (and caption, address when given), else None."""
    credit = next((c for key in keys if (c := _declared_credit(_data_text(obj.get(key), refs)))), None)
    if credit is None:
        return None
    url = next((u for key in _DATA_URL_KEYS if (u := _data_text(obj.get(key), refs))), None)
    return Image(url=url, caption=_data_text(obj.get("caption"), refs), credit=credit)


def _data_text(value: Any, refs: list[Any] | None) -> str | None:
    """A declared value as text: a string, an object's ``name``/``text``/``value``, a Nuxt index."""
    value = _deref(value, refs)
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = _deref(value.get("name") or value.get("text") or value.get("value"), refs)
    if not isinstance(value, str):
        return None
    text = clean_text(_TAG.sub(" ", value) if "<" in value else value)
    return text or None


def _deref(value: Any, refs: list[Any] | None) -> Any:
    """A Nuxt payload's index replaced by the value it names."""
    if refs is not None and isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(refs):
        return refs[value]
    return value


def _declared_credit(text: str | None) -> str | None:
    """A declared credit that reads as one: short, no address, names rather than a sentence."""
    if not text or len(text) > 150 or "://" in text or text.startswith(("/", "www.")):
        return None
    credit = clean_credit(text)
    return credit if credit and _names_like(credit) else None


def fill_from_data(images: list[Image], declared: list[Image], key: Callable[[str | None], str]) -> None:
    """Credits (and captions) the page left open, from declared pictures that are listed ones.

    A declared picture is a listed one when its address has the same ``key`` or its caption is the
    listed caption; a picture only declared (a teaser, a gallery) adds nothing: its credit is not shown.
    """
    for picture in declared:
        entry = _listed(images, picture, key)
        if entry is not None:
            entry.credit = entry.credit or picture.credit
            entry.caption = entry.caption or picture.caption


def _listed(images: list[Image], picture: Image, key: Callable[[str | None], str]) -> Image | None:
    wanted = key(picture.url)
    caption = _caption_key(picture.caption)
    for image in images:
        if wanted and key(image.url) == wanted:
            return image
        if caption and _caption_key(image.caption) == caption:
            return image
    return None


def _caption_key(caption: str | None) -> str:
    return " ".join(re.findall(r"\w+", (caption or "").lower()))[:60]
