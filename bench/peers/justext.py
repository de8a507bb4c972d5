"""jusText: ``justext(html, stoplist)`` keeping the paragraphs it marks good (headings included).

jusText needs the page's language for its stop-word list. We give it the language the page declares
(``<html lang>``), else the one py3langid reads in the page's text; a language jusText has no list for
(Japanese, Chinese, ...) runs in its language-independent mode (empty list, stop-word thresholds 0),
as its documentation advises.
"""

from __future__ import annotations

import re
from functools import cache

from ..output import Output

__all__ = ["DISTRIBUTION", "extract", "language_of"]

DISTRIBUTION = "justext"

_LANG_ATTR = re.compile(r"<html[^>]*?\blang\s*=\s*[\"']?([a-zA-Z]{2,3})", re.IGNORECASE)
_STRIP = re.compile(r"(?is)<(script|style|noscript)\b.*?</\1\s*>|<[^>]+>")

# ISO 639-1 → jusText stop-list name, for the languages jusText ships lists for.
_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto",
    "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "hy": "Armenian", "id": "Indonesian", "is": "Icelandic", "it": "Italian", "ka": "Georgian",
    "ko": "Korean", "la": "Latin", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian",
    "ms": "Malay", "mt": "Maltese", "nl": "Dutch", "nb": "Norwegian_Bokmal", "no": "Norwegian_Bokmal",
    "nn": "Norwegian_Nynorsk", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}  # fmt: skip


def language_of(html: str) -> str:
    """ISO 639-1 code the page declares, else the one py3langid reads in its text."""
    declared = _LANG_ATTR.search(html[:20_000])
    if declared and declared.group(1).lower()[:2] in _NAMES:
        return declared.group(1).lower()[:2]
    import py3langid

    text = " ".join(_STRIP.sub(" ", html).split())[:20_000]
    return str(py3langid.classify(text)[0]) if text else "en"


@cache
def _stoplist(name: str | None) -> frozenset[str]:
    import justext

    return justext.get_stoplist(name) if name else frozenset()


def extract(html: str, url: str | None) -> Output:
    import justext

    name = _NAMES.get(language_of(html))
    if name:
        paragraphs = justext.justext(html, _stoplist(name))
    else:
        paragraphs = justext.justext(html, _stoplist(None), stopwords_low=0, stopwords_high=0)
    return Output(text="\n".join(p.text for p in paragraphs if not p.is_boilerplate))
