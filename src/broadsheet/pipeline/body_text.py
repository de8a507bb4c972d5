"""Body decisions for flattened text: two learned passes over the page's lines, then the page's furniture.

1. The line model scores every line from its own features and its neighbourhood (``text.line_features``:
   shape, keywords, repetition, windows of prose around it, distance to time/byline lines).
2. The context model re-scores every line from the first pass seen at the level of blocks and of the
   page: the scores around it, the runs of likely body ("segments") it belongs to or sits between, how
   much of the page's body mass each holds and where, so that one block wins over a rail of other
   stories' summaries that looks like prose line by line.
3. A site template (``templates``), when the batch taught one, drops lines the site prints on every page.
4. Furniture: a line the parse stage recognised by shape (byline, dateline, caption, credit, tags) is
   never body; headline, dek and breadcrumb are found above the byline/date block or the body.

Both models are LightGBM ensembles trained on the train split of the flattened development sets
(``training/text_*.py``) and evaluated here with numpy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..article import Candidate, Document
from ..model import load_model
from ..options import Options
from .clean import is_cookie_notice
from .credits import CREDIT_LINE, CREDIT_WORDS, is_credit_line
from .html_features import CALL_TO_ACT
from .text import TAGS_LINE, LineFeatures, is_sentence_like, word_count
from .text_features import FEATURES
from .text_trees import Packed, pack, scores

if TYPE_CHECKING:
    from .templates import SiteTemplate

__all__ = ["CONTEXT_BASE", "CONTEXT_NAMES", "LINE_INPUTS", "context_features", "decide_text", "score_lines"]

LINE_MODEL = "text_body_lines"
# Every training page has a URL, many inputs have none: a body model leaning on the URL's words misjudges
# pages given without one (the headline of a page without URL kept as body). The line model reads every
# line feature but these; the field models learn both cases instead (training/text_train_fields.py).
_URL_FEATURES = ("url_overlap", "from_slug")
LINE_INPUTS = tuple(name for name in FEATURES if name not in _URL_FEATURES)
CONTEXT_MODEL = "text_body_context"
CONTEXT_BASE = (
    "logw",
    "prose",
    "end_sentence",
    "dated",
    "furniture",
    "position",
    "title_words",
    "stopwords",
    "repeats",
    "shared_phrases",
    "headline_like",
    "kw_comment",
    "kw_by",
    "win5_headline_like",
    "win5_dated",
    "frequent_tokens",
)
N_CONTEXT = 26  # context rows before the CONTEXT_BASE rows
CONTEXT_NAMES = (*(f"ctx{i}" for i in range(N_CONTEXT)), *(f"base_{name}" for name in CONTEXT_BASE))
_CONTEXT_FLOOR = 0.05  # below this first-pass score the context model is not asked
_NEAR = 0.1  # a line this far under the threshold is body when it continues kept body (``_grow``)
# A prose line this far under the threshold is body when it touches the body's first or last line: a lead
# paragraph parted from the body by a byline or photo credit, a last paragraph after an inline teaser.
_EDGE_DROP = 0.2
_EDGE_ABOVE = 3  # lines from the body's first line (a byline, a credit and a caption may sit in between)
_EDGE_BELOW = 1  # lines from its last: past any other line, text after the body is another block (a bio)
_GAP = 3  # lines of non-body a body segment may span (an ad, a caption, a sub-heading)
_NEVER_BODY = (
    "byline",
    "dateline",
    "credit",
    "caption",
    "caption_repeat",
    "tags",
    "advert",
    "read_also",
    "filed_under",
    "link",
)
# A line that is only an advert's label or a "continues below" marker: the slot of an ad, never text.
_AD_LINE = re.compile(
    r"(?i)^\W*(?:advertisement|advertising|anzeige|werbung|reklama|publicidad|publicité|annonce|pubblicità|"
    r"sponsored|gesponsert|reclame|advertentie|(?:the )?(?:story|article) continues (?:below|after)"
    r"(?: (?:this )?(?:advertisement|ad))?|continue reading below)\W*$"
)
# A "read also: <headline>" line: a link to another story set inside or after the body.
_READ_ALSO = re.compile(
    r"(?i)^\W*(?:read (?:also|more)|see also|also read|related|more on this|lesen sie (?:auch|mehr)|"
    r"auch interessant|mehr zum thema|das könnte sie auch interessieren|à lire aussi|lire aussi|voir aussi|"
    r"vea también|lea también|lee también|ver también|leggi anche|czytaj (?:też|także|również)|"
    r"zobacz (?:też|także)|les også|läs också|lees ook|lesen sie hier|(?:también )?(?:le|te) puede interesar|"
    r"lea (?:también|además)|leia (?:também|mais)|veja também|à voir aussi|siehe auch|you may also like)\s*[:»|→–—-]|"
    # a bare marker and a colon or bar before another story's headline ("MORE: ...", "MIRA | ...")
    r"^\W*(?:more|mehr|watch|listen|lea|lea más|lee más|leer más|mira|puedes ver)\s*[:|]\s*\S|"
    # the heading of a list of other stories, alone on its line
    r"^\W*(?:related (?:articles|stories|posts|content)|you (?:may|might) also like|more (?:on this|stories)|"
    r"mehr zum thema|das könnte sie auch interessieren|ähnliche (?:beiträge|artikel)|weitere artikel|"
    r"lesen sie auch|à lire aussi|lire aussi|te puede interesar|le puede interesar|leggi anche|"
    r"czytaj (?:też|także|również))\W*$"
)
# Where a blog files the post ("This entry was posted in News", "Kategorien: Rezepte"): never its text.
_FILED = re.compile(
    r"(?i)^(?:this (?:entry|post) was posted (?:in|on)\b|posted in\s*:|filed (?:under|in)\s*:|"
    r"dieser (?:eintrag|beitrag) wurde (?:am .{0,40})?veröffentlicht in\b|veröffentlicht in\s*:|"
    r"erstellt am .{0,60} und abgelegt unter\b|(?:kategorien?|categories|category|catégories?|categorías?)\s*:\s*\w|"
    # the label of the post's tags alone on its line, the tags on the lines after it
    r"(?:tags|tagged|schlagw(?:orte|örter)|stichw(?:orte|örter)|etiquetas|mots-clés)\s*:$)"
)
# A link's button or the post's navigation: "Read more »", "« Previous post", "Post navigation", "Back to top".
_LINK_LINE = re.compile(
    r"(?i)^(?:post navigation|beitrags-?navigation|navigation des articles|navegación de entradas|"
    r"zurück zur (?:übersicht|startseite|liste)|back to (?:top|overview|list))$|"
    r"^(?:«|‹|←)\s[^»›]*$|^[^«‹]*[^.!?:]\s(?:»|›|→)$"  # French quotes pair « with »: no link
)
_LINK_WORDS = 8  # a button's or a link's words; longer, an arrow ends a line of prose
_LABEL_WORDS = 40  # a labelled line (read also, credit, filing) is at most this long: longer ones are prose
_AD_WORDS = 7  # an advert's label is at most this long ("the story continues below this advertisement")
_TAIL_WORDS = 12  # a kept line this short after the body's last sentence, in another block, is not body
_TAIL_LINES = 12  # more such lines than this are the page's own content (a listing, a spec sheet)
_CALLS, _CALL_WORDS = 4, 25  # at most so many trailing calls to act, each at most so many words long
_COMMENT_WORDS = 25  # a comment heading or the comment form's notice is at most this long
_COMMENT_SHARE = 0.25  # at most this share of the body's words may follow a comment heading to be cut
_SENTENCE_WORDS = 8  # a sentence this long ends the body's prose (shorter ones may be labels: "Read more.")


def decide_text(doc: Document, options: Options) -> None:
    """Mark each line kept or not, with its role, score and reason."""
    cands = doc.candidates
    if not cands:
        return
    feats: LineFeatures = doc.extras["features"]
    line_p, p = score_lines(feats)
    threshold = options.body_threshold
    template: SiteTemplate | None = doc.extras.get("template")
    roles = [c.role for c in cands]
    # the regexes run a line at a time, so only on the lines they can change: an advert's label is short
    # (and read on every such line, since the metadata stage must not take it for a section either), a
    # "read also" link matters on a line that could be kept (scored near the threshold, or prose, which
    # the fallback below keeps)
    could = (p >= threshold - _NEAR) | (feats["prose"] > 0)
    _mark_ads_and_links(
        cands,
        roles,
        (could | (feats["words"] <= _AD_WORDS)).nonzero()[0],
        could,
        feats["words"],
        feats["kw_media"] > 0,
    )
    furniture = np.array([r in _NEVER_BODY for r in roles])
    kept = _grow((p >= threshold) & ~furniture, (p >= threshold - _NEAR) & ~furniture, _groups(feats, cands))
    edge = _edge_prose(kept, (p >= threshold - _EDGE_DROP) & (feats["prose"] > 0) & ~furniture)
    kept |= edge
    boiler = _template_lines(template, [c.text for c in cands], kept, feats["words"]) if template else None
    if boiler is not None:
        kept &= boiler == 0
    tail = _tail(kept, feats, cands)
    kept &= ~tail
    tail |= _calls_to_act(kept, feats["words"], cands)
    kept &= ~tail
    tail |= _comments(kept, feats["words"], cands)
    kept &= ~tail
    # a cookie dialog's text goes here, not only when the body is assembled: the headline, byline and
    # dateline are looked for above and around the body's first kept line
    cookies = _cookie_notices(kept, cands)
    kept &= ~cookies
    fallback = not kept.any()
    if fallback:  # nothing passed (a tiny page, unlike any the models saw): keep its best prose
        prose = (feats["prose"] > 0) & ~furniture & ~cookies
        kept = prose & (p >= 0.5 * p[prose].max()) if prose.any() else kept
    # a short kept line without a sentence end is a sub-heading of the body
    heading = kept & (feats["end_sentence"] == 0) & (feats["words"] <= 14) & (feats["end_colon"] == 0)
    for i in heading.nonzero()[0].tolist():
        cands[i].kind = "heading"
    # the plain verdict for every line in one tight loop (plain lists: reading numpy arrays one element at a
    # time is slow), then the few lines with another reason, from the weakest reason to the one that wins
    verdicts = ("not body", "body")
    for cand, score, keep in zip(cands, p.tolist(), kept.tolist(), strict=True):
        cand.score, cand.kept, cand.reason = score, keep, verdicts[keep]
    if options.explain:
        for i, cand in enumerate(cands):
            cand.reason = _reason(feats, i, float(line_p[i]), cand.score, cand.kept)
    for i in (edge & kept).nonzero()[0].tolist():
        cands[i].reason = f"body: prose at the body's edge (context {cands[i].score:.2f})"
    for i in tail.nonzero()[0].tolist():
        cands[i].reason = "after the body: a short line in another block, a call to act or readers' comments"
    if fallback:
        for i in kept.nonzero()[0].tolist():
            cands[i].reason = "no line passed the threshold: the page's best prose is kept"
    for i in cookies.nonzero()[0].tolist():
        cands[i].role, cands[i].reason = "notice", "a cookie-consent dialog's text"
    if boiler is not None:
        pages = boiler.tolist()
        for i in ((boiler > 0) & ~furniture).nonzero()[0].tolist():
            cand = cands[i]
            cand.score = min(cand.score, 0.05)
            cand.role = cand.role or "template"
            cand.reason = f"site template: {template.site} prints this line on {pages[i]} pages"  # type: ignore[union-attr]
    for i in furniture.nonzero()[0].tolist():
        cands[i].reason = f"{roles[i]} line"
    _drop_repeated_text(cands, feats)
    _headline_not_body(cands)
    start, end = _body_span(cands)
    _mark_text_roles(cands, start, end)
    for cand in cands:
        if not cand.role:
            cand.role = "body" if cand.kept else "boilerplate"


def _groups(feats: LineFeatures, cands: list[Candidate]) -> np.ndarray:
    """The blank-line group of each line: kept by the line features (read again from the candidates, a
    Python loop over every line, only when they do not have it)."""
    if feats.groups is not None:
        return feats.groups
    return np.fromiter((c.container for c in cands), dtype=np.int64, count=len(cands))


def _grow(kept: np.ndarray, near: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Hysteresis: lines scored just under the threshold join the body when an unbroken run of such lines
    touches kept body inside one blank-line group (a sub-heading or a short line at the edge of the text)."""
    ok = kept | near
    new_run = np.ones(len(ok), dtype=bool)
    new_run[1:] = ~ok[1:] | ~ok[:-1] | (group[1:] != group[:-1])
    run = np.cumsum(new_run) - 1
    touches = np.bincount(run, weights=kept, minlength=int(run[-1]) + 1) > 0
    return ok & touches[run]


def _edge_prose(kept: np.ndarray, near: np.ndarray) -> np.ndarray:
    """Lines of ``near`` (prose scored just under the threshold) within ``_EDGE_ABOVE`` lines above the
    first kept line or ``_EDGE_BELOW`` below the last: the edges of the body, where the context model,
    seeing less body on one side, scores a body paragraph lowest."""
    on = kept.nonzero()[0]
    edge = np.zeros(len(kept), dtype=bool)
    if not len(on):
        return edge
    first, last = int(on[0]), int(on[-1])
    edge[max(first - _EDGE_ABOVE, 0) : first] = True
    edge[last + 1 : last + 1 + _EDGE_BELOW] = True
    return edge & near & ~kept


def _maybe_credit(text: str) -> bool:
    """What a credit line without a picture's word has: a slash ("Jane Doe/APA"), or an opening copyright
    sign or German label ("© Solveig Faust", "Beitragsbild: Stadt Ulm")."""
    return "/" in text or CREDIT_LINE.match(text) is not None


def _mark_ads_and_links(
    cands: list[Candidate],
    roles: list[str],
    lines: np.ndarray,
    links: np.ndarray,
    words: np.ndarray,
    media: np.ndarray,
) -> None:
    """Give ``lines`` that are an advert's label, and those of them in ``links`` (lines that could be kept)
    that are a "read also: <headline>" link, a credit or a line filing the post, their role.

    ``media``: lines with a picture's word ("photo", "Getty", "dpa"); only they, and lines with a slash or
    an opening copyright sign, are asked whether they are a credit (most short lines are not, and the
    credit check costs more than the rest of this loop)."""
    # whether a line may be a labelled link, for all the lines at once: a numpy array read one element at
    # a time costs about 0.1 us a read, and most of these lines are only asked whether they are an advert
    labelled = (links & (words <= _LABEL_WORDS))[lines].tolist()
    for i, label in zip(lines.tolist(), labelled, strict=True):
        if roles[i]:
            continue
        text = cands[i].text
        if _AD_LINE.match(text):
            roles[i] = cands[i].role = "advert"
        elif not label:
            continue
        elif _READ_ALSO.match(text):
            roles[i] = cands[i].role = "read_also"
        elif words[i] <= CREDIT_WORDS and (media[i] or _maybe_credit(text)) and is_credit_line(text):
            roles[i] = cands[i].role = "credit"
        elif _FILED.match(text):
            roles[i] = cands[i].role = "filed_under"
        elif words[i] <= _LINK_WORDS and _LINK_LINE.search(text):
            roles[i] = cands[i].role = "link"


def _tail(kept: np.ndarray, feats: LineFeatures, cands: list[Candidate]) -> np.ndarray:
    """Short kept lines without a sentence end after the body's last sentence, outside its blank-line block:
    a "Related" heading, tags, a share or sign-up line. A list closing the body's own block stays, and so
    does a long run of them (``_TAIL_LINES``)."""
    words = feats["words"]
    on = (kept & (feats["end_sentence"] > 0) & (words >= _SENTENCE_WORDS)).nonzero()[0]
    if not len(on):
        return np.zeros(len(kept), dtype=bool)
    last = int(on[-1])
    tail = kept & (np.arange(len(kept)) > last) & (words <= _TAIL_WORDS) & (feats["end_sentence"] == 0)
    block = cands[last].container
    for i in tail.nonzero()[0].tolist():  # the body's own block keeps its closing list
        tail[i] = cands[i].container != block
    # a long run of short lines after the last sentence is what the page is (a listing, a product, docs)
    return tail if tail.sum() <= _TAIL_LINES else np.zeros(len(kept), dtype=bool)


# The comment form's privacy notice (WordPress and its translations), without the line-start anchor: comments
# begin at it (``_COMMENTS``), and it is a line of the form wherever it stands (``_FORM``).
_PRIVACY_NOTICE = (
    r"(?:your|deine|ihre|die)?\s*e-?mail[- ]?adresse wird nicht veröffentlicht|"
    r"your email address will not be published|votre adresse (?:e-?mail|de messagerie) ne sera pas|"
    r"tu (?:dirección de )?correo electrónico no será publicad|il tuo indirizzo email non sarà pubblicato"
)
# The heading of a comment section ("12 Comments", "Leave a reply") or a comment's own header line.
_COMMENTS = (
    r"^\W*(?:\d+\s+)?(?:comments|kommentare|commentaires|comentarios|commenti|komentarze|responses|replies|"
    r"leave a (?:reply|comment)|schreibe einen kommentar|reader comments|join the discussion|"
    r"kommentar schreiben|kommentieren(?: sie)?|write a comment|laisser un commentaire|deja (?:un|tu) comentario)"
    r"(?:\s*\(\d+\))?\W*$|"
    r"^\W*\d+\s+(?:comment|kommentar)\W*$|^\W*comment by\b|"
    # the comment form's notice (WordPress and its translations): the comments begin here
    rf"^\W*(?:{_PRIVACY_NOTICE})"
)
# The heading of the writer's box after an article ("About the author", "Über mich"): a bio, not the text.
_AUTHOR_BOX = (
    r"^\W*(?:about the authors?|über (?:den|die) autor(?:in|en)?|über mich|à propos de l'auteur|"
    r"sobre (?:el|la) autora?|o autorze)\W*$"
)
# A line of the comment form itself, never the article's: its privacy notice, its allowed-tags hint, the
# "cancel reply" link, the request to log in or register before commenting (matched on the line's start).
_FORM = (
    rf"^\W*(?:{_PRIVACY_NOTICE}|"
    r"you may use these html tags|leave a reply cancel reply|antwort abbrechen|cancel reply|cancelar respuesta|"
    r"you must be logged in to post a comment|sie müssen (?:eingeloggt|angemeldet) sein|sie müssen sich einloggen|"
    r"bitte (?:registrieren|melden) sie sich .{0,40}(?:netiquette|kommentar)|"
    r"para comentar (?:debes|tienes que|necesitas)|pour commenter,? (?:vous devez|connectez))"
)
_FORM_NOTICE = re.compile(_FORM, re.I)
# all three in one pattern, so that each short line of the body is matched once: the group that matched
# says whether comments may begin there ("head") or the line alone is the form's ("form")
_COMMENT_LINE = re.compile(rf"(?P<head>{_COMMENTS}|{_AUTHOR_BOX})|(?P<form>{_FORM})", re.I)


def _comments(kept: np.ndarray, words: np.ndarray, cands: list[Candidate]) -> np.ndarray:
    """Kept lines from the first comment-section heading inside the body on, when they hold at most
    ``_COMMENT_SHARE`` of the body's words: readers' comments after the article. A heading with more
    body after it is a comment count printed in the article's header: nothing is cut. The comment
    form's own lines (its privacy notice, "log in to comment", "cancel reply") go wherever they stand: the
    form can sit between the article and more page text, where nothing may be cut after it, and so do later
    headings (a comment's "Comment by" line)."""
    on = kept.nonzero()[0]
    out = np.zeros(len(kept), dtype=bool)
    if len(on) < 2:
        return out
    mass = np.cumsum(np.where(kept, words, 0))
    inside = np.arange(len(kept))
    # a heading or the form's notice is short: the regex reads only such lines
    heading = False
    for i in ((inside > on[0]) & (inside <= on[-1]) & (words <= _COMMENT_WORDS)).nonzero()[0].tolist():
        text = cands[i].text
        match = _COMMENT_LINE.match(text)
        if match is None:
            continue
        if not heading and match.lastgroup == "head":
            if mass[-1] - mass[i - 1] <= _COMMENT_SHARE * mass[-1]:
                out[i:] = kept[i:]
                break
            # a comment count or the writer's box in the article's header stays; the form's notice goes
            heading = True
            out[i] = kept[i] and _FORM_NOTICE.match(text) is not None
            continue
        out[i] = kept[i]  # a line of the form, or a heading after that one, is never text
    return out


# A reader's appeal for money or support printed after the article (text-only: the HTML models read
# ``CALL_TO_ACT`` as a feature and are trained with it).
_APPEAL = re.compile(
    r"jetzt unterstützen|unterstützen sie (?:uns|unser)|support (?:us|our (?:journalism|work|reporting))|"
    r"become a (?:member|supporter|patron)|make a (?:donation|contribution)|\bspenden\b|soutenez|apoya(?:nos)?\b|"
    r"sostienici|wesprzyj|"
    # what the reader's money or address buys ("Ihr Beitrag hilft ...", "never miss our top stories")
    r"(?:ihr|dein) beitrag hilft|your (?:support|contribution|donation) helps|jede (?:kleine )?spende|"
    r"te necesitamos|únete a nuestr|cancela cuando quieras|cancel (?:at )?any ?time|jederzeit kündbar|"
    r"never miss|verpasse (?:keine|nichts)|nichts mehr verpassen|"
    r"enter your e-?mail|(?:gib|geben sie) (?:deine|ihre) e-?mail|"
    r"(?:canal|channel|kanal) (?:de |on |auf )?(?:telegram|whatsapp|youtube)|(?:telegram|whatsapp)-kanal|"
    r"get the latest (?:news|updates|headlines|stories)|straight to your (?:inbox|phone)|subskrypcj|"
    r"unterstütze (?:uns|unser)"
)


def _cookie_notices(kept: np.ndarray, cands: list[Candidate]) -> np.ndarray:
    """Kept lines of a cookie-consent dialog (``clean.is_cookie_notice``)."""
    out = np.zeros(len(kept), dtype=bool)
    for i in kept.nonzero()[0].tolist():
        out[i] = is_cookie_notice(cands[i].text)
    return out


def _calls_to_act(kept: np.ndarray, words: np.ndarray, cands: list[Candidate]) -> np.ndarray:
    """The body's last kept lines while they call to act (subscribe, sign up, follow, donate) or belong to
    the comment form, at most ``_CALLS`` of them: the site's appeal printed after the article, not its text."""
    out = np.zeros(len(kept), dtype=bool)
    for i in kept.nonzero()[0][::-1][:_CALLS].tolist():
        text = cands[i].text
        low = text.lower()
        if words[i] > _CALL_WORDS or not (
            CALL_TO_ACT.search(low) or _APPEAL.search(low) or _FORM_NOTICE.match(text)
        ):
            break
        out[i] = True
    return out


def _template_lines(
    template: SiteTemplate, texts: list[str], body: np.ndarray, words: np.ndarray
) -> np.ndarray:
    """Pages of the site each line occurs on, where the site template calls it boilerplate, else 0. When the
    template would take most of the body, the page shares its text with other pages of the batch (a story
    printed twice, an update): then only lines that are not body are dropped."""
    hits = np.asarray(template.matches(texts))
    body_words = words[body].sum()
    if body_words and words[body & (hits > 0)].sum() > 0.5 * body_words:
        hits = np.where(body, 0, hits)
    return hits


def score_lines(feats: LineFeatures) -> tuple[np.ndarray, np.ndarray]:
    """(line-model probability, context-model probability) of every line being body. The context model
    is not asked about lines the line model is sure are not body: it almost never changes their verdict."""
    line_model, context_model = _packed_models()
    p1 = scores(line_model, feats.x)[0]
    p2 = p1.copy()
    ask = (p1 >= _CONTEXT_FLOOR).nonzero()[0]
    if len(ask):
        x2 = context_features(p1, feats.rows(CONTEXT_BASE))
        p2[ask] = scores(context_model, x2[:, ask] if len(ask) < len(p1) else x2)[0]
    return p1, p2


@lru_cache(maxsize=1)
def _packed_models() -> tuple[Packed, Packed]:
    context_rows = {name: j for j, name in enumerate(CONTEXT_NAMES)}
    return (
        pack([load_model(LINE_MODEL)], FEATURES.index),
        pack([load_model(CONTEXT_MODEL)], context_rows.__getitem__),
    )


def _reason(feats: LineFeatures, i: int, p1: float, p2: float, kept: bool) -> str:
    words = int(feats["words"][i])
    shape = "ends a sentence" if feats["end_sentence"][i] else "no sentence end"
    where = f"{int(feats['win5_prose'][i] * 11)} prose lines within 5"
    verdict = "body" if kept else "not body"
    return f"{verdict}: context {p2:.2f} (line alone {p1:.2f}); {words} words, {shape}, {where}"


# ------------------------------------------------------------------------------- context features


def _best_segment(gain: np.ndarray) -> tuple[int, int]:
    """[start, end) of the contiguous run of lines with the largest total gain (Kadane on prefix sums)."""
    c = np.concatenate(([0.0], np.cumsum(gain)))
    low = np.minimum.accumulate(c)
    arg_low = np.maximum.accumulate(np.where(c <= low, np.arange(len(c)), 0))
    best_end = int(np.argmax(c - low))
    return int(arg_low[best_end]), best_end


def _segments(p: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of likely-body lines (gaps up to ``_GAP`` lines bridged): starts, ends (inclusive), masses."""
    kept = (p >= 0.5).nonzero()[0]
    if not len(kept):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    breaks = (np.diff(kept) > _GAP + 1).nonzero()[0]
    starts = kept[np.concatenate(([0], breaks + 1))]
    ends = kept[np.concatenate((breaks, [len(kept) - 1]))]
    c = np.concatenate(([0.0], np.cumsum(p * weight)))
    return starts, ends, c[ends + 1] - c[starts]


def _segment_features(p: np.ndarray, weight: np.ndarray) -> list[np.ndarray]:
    """Per line: the segment it is in (or the nearest above/below) — its share of the body mass, size, rank."""
    n = len(p)
    idx = np.arange(n)
    starts, ends, mass = _segments(p, weight)
    if not len(starts):
        z = np.zeros(n)
        return [z, z, z, z, z, z, np.full(n, 99.0), np.full(n, -1.0)]
    top = mass.max()
    rank = np.argsort(np.argsort(-mass))
    above = np.searchsorted(starts, idx, side="right") - 1
    a = np.maximum(above, 0)
    inside = (above >= 0) & (idx <= ends[a])
    has_below = above + 1 < len(starts)
    below = np.minimum(above + 1, len(starts) - 1)
    cum = np.concatenate(([0.0], np.cumsum(mass)))
    return [
        inside.astype(np.float64),
        np.where(above >= 0, mass[a] / top, 0.0),
        np.where(has_below, mass[below] / top, 0.0),
        np.where(above >= 0, (ends[a] - starts[a] + 1) / n, 0.0),
        np.where(above >= 0, cum[a] / cum[-1], 0.0),
        np.full(n, len(starts) / 10.0),
        np.where(above >= 0, rank[a], 99.0).astype(np.float64),
        np.where(inside, (idx - starts[a]) / np.maximum(ends[a] - starts[a], 1), -1.0),
    ]


def context_features(p: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Second-pass features of one page (rows: ``CONTEXT_NAMES``; columns: lines): the first-pass scores
    around each line and where the body mass lies. ``base`` holds the ``CONTEXT_BASE`` rows of the page."""
    n = len(p)
    x = np.empty((len(CONTEXT_NAMES), n))
    if not n:
        return x
    x[0] = p
    for j, k in enumerate((1, -1, 2, -2, 3, -3)):
        row = x[1 + j]
        row.fill(-1.0)
        if abs(k) < n:
            if k > 0:
                row[k:] = p[:-k]
            else:
                row[:k] = p[-k:]
    c = np.concatenate(([0.0], np.cumsum(p)))
    idx = np.arange(n)
    for j, radius in enumerate((1, 3, 8, 20)):
        lo, hi = np.maximum(idx - radius, 0), np.minimum(idx + radius + 1, n)
        x[7 + j] = (c[hi] - c[lo]) / (hi - lo)
    logw = base[0]
    mass = p * logw
    total = max(float(mass.sum()), 1e-6)
    before = (np.cumsum(mass) - mass) / total
    x[11] = before
    x[12] = 1.0 - before - mass / total
    start, end = _best_segment((p - 0.5) * (logw + 0.5))
    x[13] = (idx >= start) & (idx < end)
    x[14] = (idx - start) / n
    x[15] = (idx - end) / n
    x[16] = p.mean()
    x[17] = p.max()
    x[18:N_CONTEXT] = _segment_features(p, logw + 0.5)
    x[N_CONTEXT:] = base
    return x


# ------------------------------------------------------------------------------------ furniture


def _headline_not_body(cands: list[Candidate]) -> None:
    """The first kept line is the headline, not body, when it is title-like and a short gap holding a byline
    or dateline parts it from the rest of the body: the headline block opens the article."""
    kept = [i for i, c in enumerate(cands) if c.kept]
    if len(kept) < 2:
        return
    first = cands[kept[0]]
    if not 2 <= word_count(first.text) <= 30 or is_sentence_like(first.text):
        return
    gap = cands[kept[0] + 1 : kept[1]]
    if 0 < len(gap) <= 4 and any(c.role in ("byline", "dateline") for c in gap):
        first.kept = False
        first.reason = "headline: title-like line just above the byline"


def _body_span(cands: list[Candidate]) -> tuple[int, int]:
    kept = [i for i, c in enumerate(cands) if c.kept]
    return (kept[0], kept[-1] + 1) if kept else (len(cands), len(cands))


def _anchor(cands: list[Candidate], start: int) -> int:
    """The byline/dateline block that opens the article: the nearest such line above the body."""
    for i in range(start - 1, max(-1, start - 12), -1):
        if cands[i].role in ("byline", "dateline"):
            while i > 0 and cands[i - 1].role in (
                "byline",
                "dateline",
                "credit",
                "caption",
                "caption_repeat",
            ):
                i -= 1
            return i
    return start


def _mark_text_roles(cands: list[Candidate], start: int, end: int) -> None:
    """Headline, dek and breadcrumb sit just above the byline/date block (or above the body)."""
    top = _anchor(cands, start)
    while top > 0 and cands[top - 1].role in ("byline", "dateline"):
        top -= 1
    above = [i for i in range(max(0, top - 6), top) if cands[i].role in ("", "repeat") and not cands[i].kept]
    for i in reversed(above):
        text = cands[i].text
        if 3 <= word_count(text) <= 30 and not text.rstrip().endswith((".", ":")):
            cands[i].reason = "headline: title-like line above the byline"
            mark_headline_block(cands, i, top)
            break
    for i in range(end, min(len(cands), end + 4)):
        if TAGS_LINE.match(cands[i].text) and cands[i].role in ("", "tags"):
            cands[i].role, cands[i].kept = "tags", False


def mark_headline_block(cands: list[Candidate], title: int, top: int) -> None:
    """Make line ``title`` the headline: the lines after it up to ``top`` (the byline/date block or the
    body) are the dek, a short line just above it is the breadcrumb. Earlier marks are undone."""
    for cand in cands:
        if cand.role in ("title", "dek", "breadcrumb"):
            cand.role = ""
    cands[title].role, cands[title].kept = "title", False
    for i in range(title + 1, top):
        cand = cands[i]
        if not cand.role and not cand.kept and word_count(cand.text) >= 6:
            cand.role, cand.reason = "dek", "between headline and byline"
    if title > 0:
        prev = cands[title - 1]
        if not prev.role and not prev.kept and word_count(prev.text) <= 8 and not is_sentence_like(prev.text):
            prev.role, prev.reason = "breadcrumb", "short line just above the headline"


def _drop_body_dumps(cands: list[Candidate], suspects: np.ndarray) -> None:
    """A kept line holding several other kept lines whole is the body printed again as one line (a summary
    field, a transcript): it is the copy, not they."""
    texts = [cands[i].text for i in suspects.tolist() if cands[i].kept]
    if len(texts) < 2:
        return
    for cand in cands:
        if not cand.kept or cand.role not in ("", "repeat"):
            continue
        if sum(t in cand.text for t in texts if t != cand.text) >= 2:
            cand.kept, cand.role = False, "repeat"
            cand.reason = "holds several body lines: the body printed again"


def _drop_repeated_text(cands: list[Candidate], feats: LineFeatures) -> None:
    """Text printed twice is body once: a line whose words recur inside a longer body line (a teaser cut
    from the lead, a pull quote, a caption repeated in the text) is not body; the longer line is."""
    suspects = (
        (feats["shared_phrases"] >= 0.5) & (feats["repeats"] == 1) & (feats["chars"] >= 40)
    ).nonzero()[0]
    if not len(suspects):
        return
    _drop_body_dumps(cands, suspects)
    kept_text = "\n".join(c.text for c in cands if c.kept)
    dropped = []
    for i in suspects:
        cand = cands[i]
        if cand.role in ("", "repeat") and kept_text.count(cand.text) > (1 if cand.kept else 0):
            cand.kept = False
            dropped.append(int(i))
    start = next((i for i, c in enumerate(cands) if c.kept), len(cands))
    for j in dropped:
        cands[j].role = "teaser" if j < start else "repeat"
        cands[j].reason = "repeats a sentence of the body"
