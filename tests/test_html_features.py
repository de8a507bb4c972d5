"""Page-level evidence of where an HTML article ends (``html_features.context_features``)."""

from __future__ import annotations

import numpy as np

from broadsheet.options import Options
from broadsheet.pipeline.html import parse_html
from broadsheet.pipeline.html_features import CONTEXT_FEATURES, block_features, context_features
from broadsheet.pipeline.read import read

_PROSE = (
    "The council voted on Tuesday to keep the old library open for another year, and the mayor said that "
    "the decision, which followed months of debate, was the right one for the town."
)


def _page() -> str:
    paras = "".join(f"<p>{_PROSE} Paragraph {i}.</p>" for i in range(6))
    teasers = "".join(
        f'<li><a href="/n/{i}">Another story about the town number {i}</a></li>' for i in range(5)
    )
    return (
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f'<main><article><h1>Library stays open</h1><div class="body">{paras}</div></article>'
        f"<section><h2>Related articles</h2><ul>{teasers}</ul></section>"
        f"<section><h2>Comments</h2><p>{_PROSE} A reader wrote this.</p></section></main></body></html>"
    )


def _columns() -> tuple[list[str], dict[str, np.ndarray]]:
    doc = parse_html(read(_page(), kind="html"), Options())
    x, arr = block_features(doc.candidates, doc.extras["layout"])
    texts = [c.text for c in doc.candidates]
    # first scores as a block model would give them: the article's paragraphs sure, the rest not
    p = np.array([0.95 if t.startswith("The council") and "reader" not in t else 0.05 for t in texts])
    xc = context_features(x, arr, p)
    assert xc.shape == (len(texts), len(CONTEXT_FEATURES)) and np.isfinite(xc).all()
    return texts, {name: xc[:, i] for i, name in enumerate(CONTEXT_FEATURES)}


def test_ending_cue_marks_what_follows_the_article() -> None:
    texts, f = _columns()
    related = texts.index("Related articles")
    last_para = max(i for i, t in enumerate(texts) if t.endswith("Paragraph 5."))
    assert f["end_cue"][related] == 1 and f["end_cue"][:related].sum() == 0
    assert f["after_cue"][:related].sum() == 0
    assert (f["after_cue"][related:] == 1).all()
    assert f["conf_after_cue"][0] == 0.0  # no confident article text after the cue
    assert f["conf_after"][last_para] == 0.0 and f["conf_after"][0] > 0.8


def test_gaps_to_the_article_count_links_and_headings() -> None:
    texts, f = _columns()
    comment = next(i for i, t in enumerate(texts) if "reader" in t)
    # between the last article paragraph and the reader's comment: a heading, link teasers, a heading
    assert f["gap_prev_heads"][comment] == 2
    assert f["gap_prev_link"][comment] > 0.5
    assert f["gap_next_chars"][comment] == -1.0  # no confident block after it
    title = texts.index("Library stays open")
    assert f["gap_prev_chars"][title] == -1.0  # no confident block before it
    assert f["gap_next_heads"][title] == 0 and f["gap_next_chars"][title] == 0.0  # the article follows
    para = next(i for i, t in enumerate(texts) if t.endswith("Paragraph 2."))
    assert f["gap_prev_chars"][para] == 0.0 and f["gap_next_chars"][para] == 0.0  # inside the article


def test_distance_to_the_article_container() -> None:
    texts, f = _columns()
    para = next(i for i, t in enumerate(texts) if t.endswith("Paragraph 3."))
    comment = next(i for i, t in enumerate(texts) if "reader" in t)
    assert f["in_best"][para] == 1 and f["best_up"][para] == 0
    assert f["best_up"][comment] > 0 and f["after_best"][comment] == 1
    assert f["before_best"][0] == 1  # the navigation comes first
