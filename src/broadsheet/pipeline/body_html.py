"""Body decisions for HTML pages: two learned block models, the article's container, smoothing, a verdict.

The algorithm, for one page:

1. ``html_block`` scores every block from what it shows by itself and where it sits
   (``html_features.block_features``), all blocks of the page in one batch.
2. ``html_context`` rescores every block with the page around it: the neighbours' scores, the
   container that holds the most article-like text and whether the block is inside it, and whether
   the block comes before, inside or after the run of confident body blocks (text after the article
   — comments, related teasers, promo boxes — is where single-block scores go wrong).
3. ``keep_mask``: a block is body when its context score reaches the threshold chosen on the training
   pages; a short block (a sub-heading, a list item, a table cell) between two body blocks of the same
   article container is kept too, so an article split by sub-headings or inline ads stays whole.
   Captions never join the body (the metadata stage reads figures itself).
4. ``html_page`` gives the page's verdict: is this an article at all (listing, index and error
   pages are not), from page-level statistics of the blocks and their scores.

Both block models were trained only on the ``train`` split of the development sets
(``training/train_html.py``); they ship in ``broadsheet/models`` and run with numpy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np

from ..article import Candidate, Document
from ..model import load_model
from ..options import Options
from .credits import is_credit_line
from .html import STRUCT_TAGS, Layout
from .html_features import CALL_TO_ACT, PageArrays, best_container, block_features, context_features
from .urls import split_url

__all__ = [
    "PAGE_FEATURES",
    "PageSignals",
    "Verdict",
    "decide_html",
    "fact_boxes",
    "keep_mask",
    "news_lead",
    "page_features",
    "page_signals",
    "printed_description",
    "pull_quotes",
    "score_blocks",
    "sign_up_lines",
    "trailing_headings",
]

#: Default thresholds; the trained models carry the ones chosen on the training pages (their ``meta``).
KEEP = 0.5  # context score at or above which a block is body
BRIDGE = 0.2  # lower score that a short block between two body blocks needs
ARTICLE = 0.5  # page-model probability at or above which the page is an article
#: The kinds of block that ``keep_mask`` bridges between two body blocks (short by nature, not by role).
_BRIDGED_KINDS = frozenset({"heading", "list_item", "table"})
#: The bit of ``Layout.tags`` that says a container is, or is inside, a <table>.
_TABLE_BIT = 1 << STRUCT_TAGS.index("table")
#: Blocks the first model scores below this, with no likely body near them, keep that score:
#: rescoring them in context never changed a decision on the training pages and costs time.
SETTLED = 0.02
#: Pages with fewer blocks than this get no page-model verdict: the training pages (real sites, with
#: navigation and footers) teach it nothing about them.
MIN_BLOCKS = 8

PAGE_FEATURES = [
    "log_blocks", "log_chars", "link_share", "kept_share", "log_kept_chars", "kept_blocks", "mean_q_kept",
    "max_q", "prose_share", "kept_prose_share", "kept_headings", "kept_list_items", "kept_link_share",
    "best_share", "runs", "log_longest_block", "link_blocks_share", "short_link_headings",
    "ld_article", "ld_product", "ld_forum", "ld_collection", "og_article", "og_product",
    "url_depth", "url_slug_words", "url_digits", "url_ends_slash", "url_none",
]  # fmt: skip
_SLUG_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(slots=True)
class PageSignals:
    """What the page says about itself, outside its blocks: structured-data types, og:type, URL."""

    ld: str = ""
    og_type: str = ""
    url: str | None = None
    #: the page's descriptions of itself (og:, twitter: and <meta name="description">), ``_squashed``
    descriptions: tuple[str, ...] = ()


#: The <meta> elements that describe the page: (attribute, value) pairs.
_DESCRIBING = frozenset(
    (("property", "og:description"), ("name", "description"), ("name", "twitter:description"))
)


def page_signals(doc: Document) -> PageSignals:
    ld = " ".join(doc.extras.get("ld_json", []))[:200_000]
    marked = doc.extras.get("marked")
    if marked is not None:
        metas = [n.attributes for n in marked.metas]
    else:
        metas = [n.attributes for n in doc.tree.css("meta")] if doc.tree is not None else []
    og: str | None = None  # the first og:type's
    descriptions: list[str] = []
    for attrs in metas:
        if attrs.get("property") == "og:type":
            og = (attrs.get("content") or "").strip().lower() if og is None else og
        elif any((key, (attrs.get(key) or "").lower()) in _DESCRIBING for key in ("property", "name")):
            text = _squashed(attrs.get("content") or "")
            if len(text.split()) >= DEK_WORDS and text not in descriptions:
                descriptions.append(text)
    return PageSignals(ld=ld, og_type=og or "", url=doc.page.url, descriptions=tuple(descriptions))


def _squashed(text: str) -> str:
    """A block's words as compared with another text: single spaces, case folded."""
    return " ".join(text.split()).casefold()


@dataclass(slots=True)
class Verdict:
    """The body stage's verdict on the page: article or not, how sure, and why not."""

    is_article: bool
    confidence: float
    reason: str = ""


def thresholds() -> tuple[float, float]:
    """(keep, article) thresholds as chosen when the models were trained."""
    return _thresholds()


@lru_cache(maxsize=1)
def _thresholds() -> tuple[float, float]:
    keep = (load_model("html_context").meta or {}).get("keep", KEEP)
    article = (load_model("html_page").meta or {}).get("article", ARTICLE)
    return float(keep), float(article)


def settled(p: np.ndarray) -> np.ndarray:
    """Blocks whose first score is so low, and whose neighbours' so low, that context is not consulted."""
    near = np.maximum(np.concatenate(([0.0], p[:-1])), np.concatenate((p[1:], [0.0])))
    return (p < SETTLED) & (near < 0.2)


def score_blocks(cands: list[Candidate], layout: object) -> tuple[np.ndarray, np.ndarray, PageArrays]:
    """(first-model scores, context scores, shared arrays) for every block of a page, in two batches."""
    x, arr = block_features(cands, layout)  # type: ignore[arg-type]
    p = load_model("html_block").predict(x)
    q = p.copy()
    open_ = ~settled(p)
    if open_.any():
        q[open_] = load_model("html_context").predict(context_features(x, arr, p)[open_])
    return p, q, arr


def keep_mask(
    cands: list[Candidate], q: np.ndarray, arr: PageArrays, keep: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(kept, bridged): body blocks by context score, plus short blocks bridged between two of them.

    Only a heading, a list item or a table cell is bridged: the low-scored paragraph (or quote, code or
    embed) between two body blocks is on the training pages far more often an inline "Read more:" link,
    an ad's label, a credit or a sign-up line than text (fundus 40 of 41 such paragraphs, the trafilatura
    set 14 must-not snippets against 1 must-have, WCXB two in three by count)."""
    caption = np.fromiter((c.kind == "caption" for c in cands), dtype=bool, count=len(cands))
    kept = (q >= (thresholds()[0] if keep is None else keep)) & ~caption
    bridged = np.zeros_like(kept)
    if len(kept) > 2:
        prev_kept = np.concatenate(([False], kept[:-1]))
        next_kept = np.concatenate((kept[1:], [False]))
        same_c3 = np.concatenate(([False], arr.c3[1:] == arr.c3[:-1])) | np.concatenate(
            (arr.c3[:-1] == arr.c3[1:], [False])
        )
        bridged = ~kept & ~caption & prev_kept & next_kept & (q >= BRIDGE) & same_c3
        for i in np.flatnonzero(bridged).tolist():  # a few blocks a page: their kinds are read one by one
            bridged[i] = cands[i].kind in _BRIDGED_KINDS
    return kept | bridged, bridged


def page_features(
    cands: list[Candidate], arr: PageArrays, p: np.ndarray, q: np.ndarray, kept: np.ndarray, sig: PageSignals
) -> np.ndarray:
    """One row of ``PAGE_FEATURES``."""
    chars = arr.chars
    total = max(chars.sum(), 1.0)
    kept_chars = (chars * kept).sum()
    links = np.fromiter((c.link_chars for c in cands), dtype=np.float64, count=len(cands))
    kinds = [c.kind for c in cands]
    kept_idx = np.flatnonzero(kept)
    runs = int(np.count_nonzero(np.diff(np.concatenate(([0], kept.astype(np.int8)))) == 1))
    best, _ = best_container(arr, q)
    in_best = np.zeros(len(cands), dtype=bool)
    in_best[arr.pair_block[arr.pair_cont == best]] = True
    link_blocks = links >= 0.8 * chars
    ld = sig.ld
    path = split_url(sig.url).path
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    row = [
        np.log1p(len(cands)),
        np.log1p(total),
        links.sum() / total,
        kept_chars / total,
        np.log1p(kept_chars),
        len(kept_idx),
        float(q[kept].mean()) if kept.any() else 0.0,
        float(q.max()),
        (chars * arr.prose).sum() / total,
        (chars * arr.prose * kept).sum() / max(kept_chars, 1.0),
        sum(kinds[i] == "heading" for i in kept_idx),
        sum(kinds[i] == "list_item" for i in kept_idx) / max(len(kept_idx), 1),
        (links * kept).sum() / max(kept_chars, 1.0),
        (chars * in_best).sum() / total,
        runs,
        np.log1p(chars.max()),
        link_blocks.mean(),
        sum(k == "heading" and lb for k, lb in zip(kinds, link_blocks, strict=True)),
        float('Article"' in ld or "BlogPosting" in ld or "NewsArticle" in ld),
        float('"Product"' in ld or '"Offer"' in ld),
        float("DiscussionForumPosting" in ld or "QAPage" in ld or '"Question"' in ld),
        float("CollectionPage" in ld or "ItemList" in ld or "SearchResultsPage" in ld),
        float(sig.og_type == "article"),
        float(sig.og_type == "product"),
        path.count("/"),
        len(_SLUG_WORDS.findall(slug.lower())),
        sum(ch.isdigit() for ch in path),
        float(path.endswith("/")),
        float(sig.url is None),
    ]
    return np.asarray([row], dtype=np.float64)


def decide_html(doc: Document, options: Options) -> None:
    """Mark every candidate kept or not, with its score, role and the reason; set the page verdict."""
    cands = doc.candidates
    if not cands:
        doc.extras["verdict"] = Verdict(False, 0.0, "no text on the page")
        return
    layout = doc.extras["layout"]
    p, q, arr = score_blocks(cands, layout)
    kept, bridged = keep_mask(cands, q, arr)
    sig = page_signals(doc)
    verdict = _verdict(cands, arr, p, q, kept, sig)  # from the models' own decisions, as trained
    credits = picture_credits(cands, kept)
    kept[credits] = False
    for i in credits:
        cands[i].role = "credit"
    lead = news_lead(cands, p, arr, kept, sig)
    if lead >= 0:
        kept[lead] = True
    dek = printed_description(cands, kept, sig.descriptions)
    if dek >= 0:
        kept[dek] = True
    datelines = top_datelines(cands, kept) if verdict.is_article or _says_article(sig) else []
    kept[datelines] = False
    news = "NewsArticle" in sig.ld
    boxes = fact_boxes(cands, layout, kept) if news else []
    kept[boxes] = False
    pulls = pull_quotes(cands, kept) if news else []
    kept[pulls] = False
    sign_ups = sign_up_lines(cands, kept, arr.chars)
    kept[sign_ups] = False
    trailing = trailing_headings(cands, kept) if _says_article(sig) else []
    kept[trailing] = False
    hidden = hidden_blocks(cands, layout)
    kept[hidden] = False
    for cand, score, keep in zip(cands, q.tolist(), kept.tolist(), strict=True):
        cand.score = score
        cand.kept = keep
        if cand.kind == "caption":
            cand.role = "caption"
        elif not cand.role:
            cand.role = "body" if keep else "boilerplate"
    if options.explain:  # the reasons are words for people: written only when asked for
        _explain(cands, layout, arr, p, q, bridged)
        for at, why in (
            (lead, "the news article's lead paragraph, above its first body block"),
            (dek, "the page's description printed above its first body block (the standfirst)"),
        ):
            if at >= 0:
                cands[at].reason = cands[at].reason.rsplit("; dropped", 1)[0] + f"; kept: {why}"
        for found, why in (
            (datelines, "a dateline above the body"),
            (credits, "a picture credit"),
            (boxes, "inside a fact box"),
            (sign_ups, "a newsletter or account sign-up line"),
            (pulls, "a pull quote, its words in the body"),
            (trailing, "a heading after the body's last text, with nothing of the body under it"),
            (hidden, "the page hides it (a hidden attribute or an inline display: none)"),
        ):
            for i in found:
                cands[i].reason = cands[i].reason.split("; kept", 1)[0] + f"; dropped: {why}"
    doc.extras["verdict"] = verdict
    for i in _tables_between(cands, layout, kept, arr):
        if i in hidden:
            continue
        cands[i].kept, cands[i].role = True, "body"
        if options.explain:
            cands[i].reason += "; kept: a cell of a table that sits between two body blocks"


def hidden_blocks(cands: list[Candidate], layout: Layout) -> list[int]:
    """The blocks whose own element the page hides from readers (``html.is_hidden``: a ``<p hidden>``, a
    ``<div style="display:none">`` holding the text itself): a paragraph hidden on its own is left out of
    what is shown (a page's machine-readable copy of its metadata, an ad slot's settings, a notice for
    another language, hidden keyword text). A hidden element that holds other blocks is not followed down:
    tabs, accordions and pages that show their article only once a script runs hide whole sections that
    a reader opens (WCXB train: hiding every block under a hidden element lost 0.005 F1 on articles and
    emptied whole pages; hiding only the blocks' own elements moves 4 pages by ± 0.02)."""
    if not layout.hidden:
        return []
    hidden = set(layout.hidden)
    return [i for i, c in enumerate(cands) if c.container in hidden]


def picture_credits(cands: list[Candidate], kept: np.ndarray) -> list[int]:
    """The kept blocks that are only a picture's credit. Sites print the credit as a paragraph under the
    image, outside its <figcaption>, so it is not read as a caption, and the block model, which sees a
    short line of names inside the article, keeps it (train: 3 fundus sites, 2 WCXB sites; none of
    them labelled as text anywhere)."""
    return [i for i in np.flatnonzero(kept).tolist() if is_credit_line(cands[i].text)]


#: A dateline: a date or a time, with at most ``DATELINE_REST`` other words ("Stand: 22.04.2024, 06:00 Uhr",
#: "Publié le 30/04/2024 - 16:00", "17:41 JST, October 13, 2024", "2025年1月14日 01時28分"), in at most
#: ``DATELINE_WORDS`` words; looked for only above the first body block of ``BODY_WORDS`` words or more.
DATELINE_WORDS, DATELINE_REST, BODY_WORDS = 10, 4, 25
_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|oktober|dezember|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|"
    r"abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)[a-zé]*\.?"
)
_DATELINE = re.compile(
    r"(?<![\d.])(?:\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)(?!\d)"
    rf"|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}年\d{{1,2}}月\d{{1,2}}日|\d{{1,2}}時\d{{1,2}}分",
    re.IGNORECASE,
)
_NOT_WORD = re.compile(r"[\W\d_]+")


def top_datelines(cands: list[Candidate], kept: np.ndarray) -> list[int]:
    """The kept blocks above the article's first long paragraph that are only a date and time, with a
    label or a place ("Stand:", "Erstellt:", "Publié le"). The metadata stage reads the date; as body
    text it is furniture (train: fundus 6 blocks on 5 sites, the trafilatura set 5 must-not snippets on 5
    sites, WCXB 16 blocks on 11 sites, against 7 blocks of 3 listing pages; none on readability)."""
    out: list[int] = []
    for i in np.flatnonzero(kept).tolist():
        text = cands[i].text
        if len(text) > 90:
            if len(text.split()) >= BODY_WORDS:
                break
            continue
        if len(text.split()) <= DATELINE_WORDS and cands[i].kind != "caption" and _is_dateline(text):
            out.append(i)
    return out


def _says_article(sig: PageSignals) -> bool:
    """The page declares itself an article (og:type, or an Article type in its structured data)."""
    return sig.og_type == "article" or 'Article"' in sig.ld or "BlogPosting" in sig.ld


def _is_dateline(text: str) -> bool:
    if _DATELINE.search(text) is None:
        return False
    return len(_NOT_WORD.sub(" ", _DATELINE.sub(" ", text)).split()) <= DATELINE_REST


#: Class, id or role words of a news article's fact box ("metro-factbox", "infobox", "info-box").
_BOX_WORDS = frozenset({"factbox", "infobox", "faktenbox", "infokasten", "faktbox", "faktaboks"})
_BOX_PAIRS = frozenset({("fact", "box"), ("info", "box"), ("facts", "box")})


def fact_boxes(cands: list[Candidate], layout: Layout, kept: np.ndarray) -> list[int]:
    """The kept blocks inside a fact box of a news article: a box set beside the running text (key
    figures, a background summary, a transcript, a notice) that the article's text is not (train: fundus
    1,750 words in such boxes on 7 sites, 9 of them labelled text, none of the other sets' NewsArticle
    pages has one)."""
    out: list[int] = []
    boxed: dict[int, bool] = {}
    labels = layout.label
    for i in np.flatnonzero(kept).tolist():
        for cid in cands[i].ancestors:
            hit = boxed.get(cid)
            if hit is None:
                hit = boxed[cid] = _names_box(labels[cid])
            if hit:
                out.append(i)
                break
    return out


def _names_box(words: tuple[str, ...]) -> bool:
    if not words:
        return False
    if not _BOX_WORDS.isdisjoint(words):
        return True
    return any(pair in _BOX_PAIRS for pair in pairwise(words))


#: A sign-up box's line: what lands in the reader's inbox, the box's answers, its account prompt. Matched on
#: kept blocks of at most ``SIGN_UP_CHARS`` characters.
SIGN_UP_CHARS = 160
_SIGN_UP = re.compile(  # matched on lower-cased text
    r"(?:to|in) your inbox|welcome email|signing you up|sign in or create an account"
    r"|create an account or sign in|sign(?:ing)? up (?:for|to) (?:our|the) (?:free |daily |weekly )*newsletter"
)
#: A word every ``_SIGN_UP`` match holds: a page without any has no sign-up line (one scan of its kept text).
_SIGN_UP_KEYS = ("inbox", "welcome email", "signing you up", "create an account", "sign up", "signing up")


def sign_up_lines(cands: list[Candidate], kept: np.ndarray, chars: np.ndarray) -> list[int]:
    """The kept short blocks of a newsletter or account sign-up box set inside the article ("Get daily news
    delivered to your inbox", "A welcome email is on its way", "Sign In or Create an Account"): the block
    model, which sees a sentence of prose inside the article, keeps them (train: 10 fundus blocks on 5
    sites, 8 WCXB blocks on 8 sites, against 1 WCXB block labelled text; none on the other sets)."""
    short = np.flatnonzero(kept & (chars <= SIGN_UP_CHARS)).tolist()
    low = "\n".join([cands[i].text for i in short]).lower()
    if not any(key in low for key in _SIGN_UP_KEYS):
        return []
    return [i for i in short if _SIGN_UP.search(cands[i].text.lower()) is not None]


#: Kept blocks a trailing heading must come after: under a short body (a post of a line or two) the heading
#: is as often the post's own title.
TRAILING_AFTER = 3


def trailing_headings(cands: list[Candidate], kept: np.ndarray) -> list[int]:
    """A kept heading after the body's last kept text: a heading heads what follows it, and nothing kept
    follows this one ("Weitere Beiträge aus der Kolumne:", "More TechCrunch", "Frequently Asked
    Questions", "Be the first to comment" over a rail, a FAQ or a comment box the models dropped). On pages
    that declare themselves articles, train split: 12 such headings labelled not text (fundus 4, WCXB 8) and
    4 of the trafilatura set's must-not snippets, against 4 labelled text (WCXB). Only one: several headings
    in a row at the end are a list set as headings (numbered points, a listing's titles), text as often."""
    at = np.flatnonzero(kept).tolist()
    if len(at) <= TRAILING_AFTER or cands[at[-1]].kind != "heading" or cands[at[-2]].kind == "heading":
        return []
    return [at[-1]]


#: A pull quote has at least so many words (shorter quotes are phrases any paragraph may hold).
PULL_WORDS = 5
_QUOTE_MARKS = " \"'“”„‟«»‹›‘’‚—–-.,;:…"


def pull_quotes(cands: list[Candidate], kept: np.ndarray) -> list[int]:
    """The kept quote blocks of a news article whose words another kept block holds: a pull quote, a
    sentence of the article set again large beside it. Kept, its words count twice (train NewsArticle
    pages: 16 such blocks on 10 fundus sites, 14 printed once in the labelled text and 1 twice; the
    trafilatura set's copy kept holds every snippet). Only on news pages: a forum post quoting an earlier
    post is as often labelled twice as once (WCXB)."""
    quotes = [i for i in np.flatnonzero(kept).tolist() if cands[i].kind == "quote"]
    if not quotes:
        return []
    keys = {i: _squashed(cands[i].text).strip(_QUOTE_MARKS) for i in quotes}
    quotes = [i for i in quotes if keys[i].count(" ") + 1 >= PULL_WORDS]
    if not quotes:
        return []
    quoted = set(quotes)
    rest = "\n".join(_squashed(cands[i].text) for i in np.flatnonzero(kept).tolist() if i not in quoted)
    return [i for i in quotes if keys[i] in rest]


#: A news lead: at least so many words, a block-model score of at least ``LEAD_P``, at most ``LEAD_BACK``
#: blocks above the first body block, nothing between but short blocks (byline, date, picture, share bar).
LEAD_WORDS, LEAD_P, LEAD_BACK = 12, 0.4, 6
#: An affiliate or advertising disclosure printed where a lead would be (lower-cased text).
#: (Not "commission" or "Anzeige" alone: "the European Commission", "Anzeige erstattet" open news leads.)
_DISCLOSURE = re.compile(
    r"\baffiliate|earns? (?:a |an )?(?:small )?commission|through (?:our|these|the) links|\bsponsored\b"
)


def news_lead(
    cands: list[Candidate], p: np.ndarray, arr: PageArrays, kept: np.ndarray, sig: PageSignals
) -> int:
    """The index of a news article's lead paragraph (standfirst, "Vorspann") left out of the body, or -1.

    News pages print the lead above the byline and the picture, outside the element that holds the
    paragraphs after it, so the context model, which trusts that container, drops it although the block
    model reads it as text. Only on pages that declare a ``NewsArticle``: on blogs and shop pages the
    sentence above the body is a teaser or a disclaimer that their articles do not count as text."""
    if "NewsArticle" not in sig.ld or not kept.any():
        return -1
    first = int(np.argmax(kept))
    for i in range(first - 1, max(first - 1 - LEAD_BACK, -1), -1):
        if cands[i].kind == "caption" or len(cands[i].text.split()) < LEAD_WORDS:
            continue  # a byline, a date, a picture and its caption, a share bar: the lead may sit above them
        return i if _reads_as_lead(cands[i], bool(arr.prose[i]), float(p[i])) else -1
    return -1


#: A standfirst: a block at most ``DEK_BACK`` blocks above the first body block that prints one of the page's
#: descriptions of itself (of ``DEK_WORDS`` words or more: a site's slogan is shorter).
DEK_BACK, DEK_WORDS = 20, 8
_ELLIPSIS = ("…", "...")
_DEK_PREFIX = 40  # characters of a block that is the first part of a longer description


def printed_description(cands: list[Candidate], kept: np.ndarray, descriptions: tuple[str, ...]) -> int:
    """The index of the block above the body that prints the page's description, or -1.

    A page's ``og:description`` is most often its standfirst, and the page prints it between the headline
    and the first paragraph, outside the element that holds the paragraphs: the context model drops it.
    It is the article's opening in its author's words, so it is body (the metadata stage reads the
    description field from the metadata as before). On the training pages: fundus' labels hold it 24 times
    in 25, the trafilatura set's snippets 11 in 12; WCXB's leave it out 24 times in 32, where it is a few
    words of a long page (its body F1 within 0.0001)."""
    if not descriptions or not kept.any():
        return -1
    first = int(np.argmax(kept))
    for i in range(first - 1, max(first - 1 - DEK_BACK, -1), -1):
        if cands[i].kind == "caption":
            continue
        text = _squashed(cands[i].text)
        if text and any(_prints(text, d) for d in descriptions):
            return i
    return -1


def _prints(text: str, description: str) -> bool:
    """Whether a block's text prints a description: the same words, the words a shortened description ("…")
    begins with, or the first part of a longer one."""
    if text == description:
        return True
    if description.endswith(_ELLIPSIS):
        return text.startswith(description.rstrip(".…").rstrip())
    return len(text) > _DEK_PREFIX and description.startswith(text)


def _reads_as_lead(cand: Candidate, prose: bool, p: float) -> bool:
    """A paragraph of prose, or a heading that is a sentence ending in a full stop (a lead set in an <h2>;
    a headline or a teaser's title ends in no full stop), that calls to no action and discloses nothing."""
    text = cand.text.rstrip()
    shape = cand.kind == "paragraph" or (cand.kind == "heading" and text.endswith("."))
    if not (shape and prose and p >= LEAD_P):
        return False
    low = text.lower()
    return CALL_TO_ACT.search(low) is None and _DISCLOSURE.search(low) is None


def _tables_between(cands: list[Candidate], layout: Layout, kept: np.ndarray, arr: PageArrays) -> list[int]:
    """The blocks of every table that sits between two kept blocks, nothing else between: a table of
    the article (figures, a schedule, results), whose cells score low one by one (short, numbers).

    A table is the outermost one a block is in and the kept block above it is not, so a table of
    tables (two rankings side by side) is one table, and its cells count whatever they hold: a cell's
    text in a ``<p>`` or a ``<div>`` is a paragraph block, not a table block (train, over the cells kept
    before: readability 269 blocks on 5 sites, all labelled; WCXB 2,100 labelled words against 720 not;
    fundus none). Failing that (the kept block above is in the same tables), the run of table cells of
    the block's innermost table, as before."""
    in_table = (layout.tags[arr.cont] & _TABLE_BIT) != 0
    out: list[int] = []
    n, seen = len(cands), 0  # blocks before ``seen`` belong to a table already taken
    last: np.ndarray | None = None  # the last block of each container, made when first needed
    for i in (np.flatnonzero(in_table[1:] & kept[:-1]) + 1).tolist():
        if i < seen:
            continue
        table = _table_opened(cands[i], cands[i - 1], layout)
        if table < 0:
            j = n
        else:
            if last is None:
                last = _last_blocks(arr)
            j = int(last[table])
        if not (j + 1 < n and kept[j + 1]) and cands[i].kind == "table":
            j = _cells_end(cands, i, layout)
        if j + 1 < n and kept[j + 1] and not kept[i : j + 1].all():
            out.extend(k for k in range(i, j + 1) if not kept[k] and cands[k].kind != "caption")
            seen = j + 1
    return out


def _last_blocks(arr: PageArrays) -> np.ndarray:
    """The last block inside each container (-1 for none). A container's blocks follow one another (an
    element's text is one stretch of the document), so the run of blocks from any one of them inside it
    ends there."""
    last = np.full(arr.n_containers, -1, dtype=np.int64)
    np.maximum.at(last, arr.pair_cont, arr.pair_block)
    return last


def _cells_end(cands: list[Candidate], i: int, layout: Layout) -> int:
    """The last table cell of the run of cells from ``i`` in ``i``'s innermost table."""
    table = _table_of(cands[i], layout)
    j = i
    while j + 1 < len(cands) and cands[j + 1].kind == "table" and _table_of(cands[j + 1], layout) == table:
        j += 1
    return j


def _table_of(cand: Candidate, layout: Layout) -> int:
    """The innermost <table> holding a candidate, or -1."""
    tags = layout.tag
    for cid in reversed(cand.ancestors):
        if tags[cid] == "table":
            return cid
    return -1


def _table_opened(cand: Candidate, above: Candidate, layout: Layout) -> int:
    """The outermost <table> holding a candidate that does not hold the block above it, or -1."""
    tags = layout.tag
    held = set(above.ancestors)
    for cid in cand.ancestors:
        if tags[cid] == "table" and cid not in held:
            return cid
    return -1


def _explain(
    cands: list[Candidate], layout: object, arr: PageArrays, p: np.ndarray, q: np.ndarray, bridged: np.ndarray
) -> None:
    best, _ = best_container(arr, q)
    in_best = np.zeros(len(cands), dtype=bool)
    in_best[arr.pair_block[arr.pair_cont == best]] = True
    best_label = layout.name(best)  # type: ignore[attr-defined]
    for i, cand in enumerate(cands):
        cand.reason = _reason(cand, float(p[i]), float(q[i]), bool(bridged[i]), bool(in_best[i]), best_label)


def _reason(cand: Candidate, p: float, q: float, bridged: bool, in_best: bool, best: str) -> str:
    where = f"inside the article container {best}" if in_best else f"outside the article container {best}"
    keep = _thresholds()[0]
    if p < SETTLED and p == q:
        text = f"block model {p:.2f}, in page context not rescored (no likely body near); {where}"
    else:
        text = f"block model {p:.2f}, in page context {q:.2f}; {where}"
    if cand.kind == "caption":
        return text + "; a caption: kept out of the body (images carry it)"
    if bridged:
        return text + f"; kept: between two body blocks (score ≥ {BRIDGE})"
    return text + ("; kept" if q >= keep else f"; dropped: below {keep:.2f}")


def _verdict(
    cands: list[Candidate], arr: PageArrays, p: np.ndarray, q: np.ndarray, kept: np.ndarray, sig: PageSignals
) -> Verdict:
    if not kept.any():
        return Verdict(False, 0.0, "no block of the page reads as article text")
    row = page_features(cands, arr, p, q, kept, sig)
    prob = float(load_model("html_page").predict(row)[0])
    body_conf = float((q * arr.chars * kept).sum() / max((arr.chars * kept).sum(), 1.0))
    confidence = round(prob * body_conf, 3)
    if len(cands) < MIN_BLOCKS:
        # Too few blocks to tell a listing from a short article; the clean stage's word rule decides.
        return Verdict(True, confidence)
    if prob < thresholds()[1]:
        kept_words = sum(len(c.text.split()) for c, k in zip(cands, kept, strict=True) if k)
        share = float((arr.chars * kept).sum() / max(arr.chars.sum(), 1.0))
        why = (
            f"the page reads as a listing, index or other non-article page (page model {prob:.2f}: "
            f"{kept_words} words of body in {int(kept.sum())} blocks, {share:.0%} of the page's text)"
        )
        return Verdict(False, confidence, why)
    return Verdict(True, confidence)
