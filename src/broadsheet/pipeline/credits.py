"""One recogniser of pictures' credits, shared by the figures stage and the body stages.

The figures stage splits a caption into its text and its credit (``figures.split_credit``) and
reads the credit a figure prints apart; the body stages drop a block (or a line of flattened
text) that is only a credit ("Jane Doe/Getty Images", "Foto: dpa", "© Reuters", "Beitragsbild:
Stadt Ulm"), printed under a picture outside its caption markup. Both ask the same questions of
the same patterns, defined here once: which names are picture agencies, which words label a
credit, and whether a whole text is a credit.
"""

from __future__ import annotations

import re

from ..dedup import WIRE_AGENCIES
from .metadata import is_agency
from .text import word_count

__all__ = [
    "AGENCIES",
    "COPYRIGHT",
    "COURTESY",
    "CREDIT_LABEL",
    "CREDIT_LINE",
    "CREDIT_WORDS",
    "agency_credit",
    "all_credit",
    "is_credit_line",
    "names_someone",
]

#: Photo agencies and picture libraries as credits print them, and the wire agencies dedup knows.
AGENCIES = "|".join(
    [
        r"AP|AFP|Reuters|REUTERS|dpa|Getty ?Images|EPA|IMAGO|imago|Shutterstock|iStock(?:photo)?|"
        r"picture.alliance|Unsplash|Pexels|Pixabay|Alamy|Keystone|KEYSTONE|ANP|Belga|BELGA|NTB|Ritzau|"
        r"Scanpix|Xinhua|Kyodo|Yonhap|EFE|ANSA|APA|PA|AAP|TT|Lusa|PAP|ČTK|CTK|MTI|TASR|Anadolu|Bernama|"
        r"Antara|Bloomberg|NurPhoto|SOPA Images|ZUMA|Sipa|SIPA|Abaca|ABACA|WENN|Backgrid|BACKGRID|"
        r"Rex Features|Redux|Lehtikuva|ullstein|Wikimedia|Wikipedia|Flickr|NASA|Adobe Stock|"
        r"stock\.adobe\.com|Getty|Corbis|WireImage|Stringer",
        *(re.escape(name) for name in WIRE_AGENCIES),
    ]
)

#: A credit's label: "Photo:", "Foto:", "Bild:", "Image by", "Credit:", "Quelle:", "Beitragsbild:",
#: "Photo courtesy of", in the languages news is written in; matched where a credit may start.
CREDIT_LABEL = re.compile(
    r"(?i)(?:^|[\s(\[|/])(?:photo(?:graph)?s?|images(?=\s*:)|image|picture|foto(?:s|grafie)?|bild(?:er)?|bildrechte|bildquelle|"
    r"quelle|bron|credits?|"
    # the picture's place in a German page ("Beitragsbild", "Titelbild") and the credits' lists
    r"beitragsbild|titelbild|headerbild|aufmacherbild|bildnachweis|fotonachweis|featured image|header image|"
    r"illustration|grafik|video|symbolfoto|symbolbild|archivfoto|archivbild|copyright|fuente|imagen|"
    r"crédito|source|courtesy|фото|снимок|źródło|fot|"
    # the same words in more of the languages news is written in: Dutch, French, Italian, Portuguese,
    # Spanish, Turkish, Vietnamese, Zulu, Russian/Ukrainian, Korean, Japanese, Chinese
    r"beeld|crédit|immagine|fotografia|fotografía|imagem|créditos|fonte|fotoğraf|görsel|ảnh|nguồn|"
    r"isithombe|коллаж|источник|иллюстрация|ілюстрація|джерело|사진|写真|図版|图片|圖片|摄影|攝影|来源|來源|"
    # Finnish, Czech/Slovak, Hungarian, Polish, Greek, Hebrew, Arabic; the British tabloids' "Pic:"
    r"kuva|zdroj|fotó|zdjęcie|φωτογραφία|φωτό|צילום|تصوير|pics?|photographer|fotograf|fotógrafo)"
    # "Foto [M]": a montage
    # "credit" (also glued: "Fotocredit"), a connecting word after a space ("Photo by", not the "by" of
    # "Bildbyrån"), or a sign
    r"(?:\s?\[m\])?(?:\s*credits?\b|\s+(?:by|via|courtesy\s+of)\b|\s*(?::|：|=|©|source\s*:))\s*:?\s*"
)
COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*", re.I)
COURTESY = re.compile(r"(?i)^[\s(]*courtesy(?: of)?\s+")

#: A line that opens with a copyright sign or a credit label that names nothing else: a photo's credit
#: ("© dpa | Kay Nietfeld", "Beitragsbild: Stadt Ulm", "Crédits photos : Bestimage") or the site's notice
#: ("(c) 2018 example.org"), whatever follows it.
CREDIT_LINE = re.compile(
    r"(?i)^\W{0,3}(?:©|\(c\)\s|(?:beitragsbild|titelbild|symbolbild|headerbild|aufmacherbild|bildquelle|"
    r"bildnachweis|fotonachweis|featured image|header image|image source|photo credit|cr[ée]dits? photo)s?\s*:)"
)
CREDIT_WORDS = 12  # longer, it is a sentence that quotes one

#: What follows a credit's label in a line that is only a credit: names, no sentence of their own.
_NAMED = re.compile(r"[^.!?]{2,80}\)?")
#: Labels that print more than pictures' credits ("Source: Bureau of Labor Statistics" under a chart,
#: "Video: 4K/30p" in a camera's specification): in a body line only an agency after them is a credit.
_WIDE_LABEL = re.compile(
    r"(?i)[\s(\[|/]*(?:quelle|source|fuente|bron|fonte|źródło|zdroj|nguồn|источник|джерело|来源|來源|video)"
)
_NAME_WORD = re.compile(r"(?:[A-ZÀ-Ý@][\w.'’&-]*|via|de|del|la|van|von|der|for|and|&)$")
#: "Getty Images", "AP Photo", "AFP via Getty Images": a text that an agency opens (not "Shutterstock's").
_AGENCY_LED = re.compile(rf"(?:{AGENCIES})(?![\w'’-])[^.!?]{{0,50}}")
_AGENCY_NAME = re.compile(AGENCIES)
_AGENCY_NAME_ANY_CASE = re.compile(AGENCIES, re.I)
_VIA_AGENCY = re.compile(rf"\svia\s+(?:{AGENCIES})\b")


def is_credit_line(text: str) -> bool:
    """Whether a block of the body, or a line of flattened text, is only a picture's credit or a
    copyright line: it opens with "©" or a credit's label, or it is an agency's credit.

    Names joined by slashes alone ("Jane Doe/Instagram") are a credit under a picture, but a line of
    the body so written is as often a heading or a list item ("Low-Code/No-Code Platforms").
    """
    text = text.strip()
    if CREDIT_LINE.match(text):  # most blocks are paragraphs: the anchored patterns reject them at once
        return word_count(text) <= CREDIT_WORDS
    if not text or len(text) > 120 or word_count(text) > CREDIT_WORDS:
        return False
    label = CREDIT_LABEL.match(text)  # "Foto: Jane Doe", "(Bild: Dieter Stork)", "Photos by Oakland Zoo"
    if label is None:
        return agency_credit(text)
    if _WIDE_LABEL.match(label.group(0)):
        return agency_credit(text[label.end() :])  # "(Quelle: APA/sda/dpa)"
    return bool(_NAMED.fullmatch(text, label.end()))


def all_credit(text: str) -> bool:
    """Whether a caption's whole text is a credit: an agency's (``agency_credit``), or names joined by
    slashes ("Jane Doe/Instagram", "Archivo/La República")."""
    if agency_credit(text):
        return True
    text = text.strip().strip("()")
    parts = [w for part in text.split("/") for w in part.split()]
    # "Before/After" names no one: a credit's names run to a few words
    return (
        "/" in text
        and 3 <= len(parts) <= 8
        and len(text) <= 80
        and not text.endswith((".", "!", "?", ":"))
        and parts[-1][:1].isupper()
        and all(_NAME_WORD.match(w) for w in parts)
    )


#: Numbers, and the units of a running time or a clock: with the signs around them, what a teaser's, a
#: video's or a product's box prints where a picture's credit would stand ("13/03", "26.10.2025 | 2:43 min",
#: "14:05 Uhr", "$299.99", "5.0")
_NO_NAME = re.compile(r"\d+|\b(?:min|sek|sec|s|h|uhr)\b\.?", re.IGNORECASE)


def names_someone(credit: str) -> bool:
    """Whether a credit names someone or something: a letter is left once numbers and the units of times
    are out. A credit names a person, an agency or a source; a date, a price or a score names no one."""
    return any(ch.isalpha() for ch in _NO_NAME.sub("", credit))


def _agency(text: str) -> bool:
    """Whether a text is an agency's name: as the list spells it, or in other case when it is long
    enough not to be a word ("ShutterStock", "REUTERS"; "PA", "TT" only so written)."""
    return bool(
        is_agency(text)
        or (len(text) >= 3 and _AGENCY_NAME.fullmatch(text))
        or (len(text) > 3 and _AGENCY_NAME_ANY_CASE.fullmatch(text))
    )


def agency_credit(text: str) -> bool:
    """Whether a text is an agency's credit from end to end: an agency ("Getty Images", "(Reuters)"),
    names and an agency joined by slashes ("evgenyb/iStock/Getty Images"), one an agency opens ("AP
    Photo", "Getty Images for Gucci") or one "via" an agency ("Pool via REUTERS"), or "Courtesy of X"."""
    text = text.strip().strip("()")
    words = text.split()
    if not words or len(words) > 8 or len(text) > 80 or text.endswith((".", "!", "?", ":")):
        return False
    if COURTESY.match(text) and words[-1][:1].isupper():
        return True
    # an agency opening the text (in any case) is what all but the list, "/" and "via" need: most short
    # blocks (headings, list items) have none and are done with here
    opens = _AGENCY_NAME_ANY_CASE.match(text) is not None
    if is_agency(text) or (opens and _agency(text)):
        return True
    if "/" in text and any(_agency(part.strip()) for part in text.split("/")):
        return sum(len(part.split()) for part in text.split("/")) <= 6
    if not opens and "via" not in text:
        return False
    if not all(_NAME_WORD.match(w) for w in text.replace("/", " ").split()):
        return False  # "Reuters reports …": a sentence about the agency
    return bool(_AGENCY_LED.fullmatch(text) or _VIA_AGENCY.search(text))
