"""The compiled modules give exactly what the Python code they stand in for gives.

The install builds them (``setup.py``). ``html.COMPILED`` (the walk, ``pipeline/_walk.pyx``) is None only
where it could not be built or failed its probe page, and then the Python walk runs; these tests hold the
two walks to the same candidates, containers, hidden containers and marked elements on the project's pages,
on generated markup, and on markup meant to break a walk over raw nodes. ``html_features.COMPILED_COUNTS``
(``pipeline/_counts.pyx``) must give the block features' counts to the bit, and the tree ensembles' sums
(``pipeline/_trees.pyx``, behind ``TreeModel.raw`` and ``text_trees.scores``) must equal numpy's to the bit, and
so must the flattened text's line features made from the compiled token counts (``pipeline/_tokens.pyx``),
and dedup's fingerprints made with the compiled MinHash signatures (``_signature.pyx``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from broadsheet import dedup, synthetic
from broadsheet import model as tree_model
from broadsheet.model import TreeModel, load_model
from broadsheet.options import Options
from broadsheet.pipeline import html, html_features, text_features, text_trees
from broadsheet.pipeline.read import read
from test_text_trees import _random_model

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
needs_compiled = pytest.mark.skipif(
    bool(os.environ.get("BROADSHEET_PURE_PYTHON")),
    reason="BROADSHEET_PURE_PYTHON turns the compiled modules off",
)


def _both(module: object, switch: str, run: Callable[[], T]) -> tuple[T, T]:
    """``run()`` as the install runs it (compiled), then with ``module.switch`` set to None: the Python code
    the compiled module stands in for. Returns (Python's result, the compiled one)."""
    compiled = run()
    saved = getattr(module, switch)
    setattr(module, switch, None)
    try:
        python = run()
    finally:
        setattr(module, switch, saved)
    return python, compiled


def _same(markup: str | bytes) -> tuple[object, object]:
    python, compiled = html.walk_both(LexborHTMLParser(markup, scripting=True))
    for part, (a, b) in enumerate(zip(python, compiled, strict=True)):
        assert a == b, f"part {part} differs"
    return python, compiled


@needs_compiled
def test_the_install_built_and_bound_the_compiled_walk() -> None:
    assert html.COMPILED is not None
    assert html.COMPILED.__file__.endswith((".so", ".pyd"))


@needs_compiled
def test_project_pages_walk_the_same() -> None:
    pages = sorted((ROOT / "examples" / "pages").glob("*.html")) + sorted(
        (ROOT / "tests" / "golden").glob("*/input.html")
    )
    assert len(pages) >= 20
    for path in pages:
        python, _ = _same(path.read_bytes())
        assert python[0], f"{path.name}: no candidates"


@needs_compiled
def test_synthetic_pages_walk_the_same() -> None:
    for page in synthetic.generate(40, seed=7):
        python, _ = _same(page.html)
        assert python[0]


@needs_compiled
def test_what_the_walk_marks_is_the_same_nodes() -> None:
    python, _ = _same(
        '<body><div class="byline author" id="a"><a rel="author" href="/autor/x">X</a></div>'
        '<span itemprop="author" class="infotext subtitle">Y</span><meta property="og:x" content="1">'
        '<h1>Head</h1><time>t</time><figure><figcaption class="bildunterschrift">c</figcaption></figure>'
        '<div class="paywall">p</div><div itemtype="https://schema.org/BreadcrumbList">b</div></body>'
    )
    scan, itemprops, metas, media, paywall = python[3], python[4], python[5], python[6], python[7]
    assert len(scan) >= 8 and len(itemprops) == 1 and len(metas) == 1 and len(media) == 2 and paywall


@needs_compiled
def test_deep_nesting_grows_the_walk_stack() -> None:
    # far deeper than the compiled walk's first stack (256) and than MAX_DEPTH (200 block levels)
    _same("<body>" + "<div><span>" * 1500 + "deep text" + "</span></div>" * 1500 + "</body>")


@needs_compiled
def test_undecodable_bytes_in_names_classes_and_text() -> None:
    markup = (
        b"<body><div class='a\xff\xfeb story'>caf\xe9 <b\xffx class='\xc3'>bold</b\xffx></div>"
        b"<p id='\xed\xa0\x80'>lone surrogate bytes \xed\xa0\x80</p><p>\xf0\x9f\x98\x80 emoji</p></body>"
    )
    python, _ = _same(markup)
    assert any("\ufffd" in c[0] for c in python[0])  # type: ignore[index]


@needs_compiled
def test_many_tag_and_class_names_overflow_the_caches() -> None:
    # more distinct custom tags than the tag slots (1,024) and classes than the class slots (4,096)
    parts = [f"<x-el{i} class='c{i} body-text'><p class='k{i % 50}'>t{i}</p></x-el{i}>" for i in range(5000)]
    for _ in range(2):  # a second page finds the slots filled by the first
        _same("<body>" + "".join(parts) + "</body>")


@needs_compiled
def test_long_names_are_read_but_not_remembered() -> None:
    long_class = "story byline " + "x" * 5000
    long_tag = "x-" + "a" * 400
    for _ in range(2):
        python, _ = _same(
            f"<body><{long_tag} class='{long_class}'><p class='{long_class}'>t</p></{long_tag}></body>"
        )
        assert python[0]


@needs_compiled
def test_empty_and_valueless_attributes() -> None:
    _same(
        "<body><div class>a</div><div class=''>b</div><a href>c</a><a href='' class>d</a>"
        "<p hidden class=x>e</p><p hidden=until-found>f</p><div style>g</div><br class><img class=''>h</body>"
    )


@needs_compiled
def test_frameset_and_bodiless_pages() -> None:
    for markup in (
        "<frameset><frame src='a'></frameset>",
        "",
        "<html></html>",
        "plain text only",
        "<!-- c -->",
    ):
        _same(markup)


_TAGS = ["div", "p", "span", "a", "br", "img", "h1", "h2", "li", "ul", "td", "table", "blockquote", "pre",
         "figure", "figcaption", "time", "meta", "section", "x-card", "b", "caption", "article"]  # fmt: skip
_ATTRS = ["class", "id", "href", "rel", "itemprop", "itemtype", "property", "content", "role", "style",
          "hidden", "aria-hidden", "data-x"]  # fmt: skip
_VALUES = ["", "author", "byline story", "display:none", "true", "/author/x", "tag", "related share",
           "caption subtitle", "paywall", "https://schema.org/BreadcrumbList", "twitter-tweet", "\u00e9t\u00e9"]  # fmt: skip


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    out = []
    for _ in range(draw(st.integers(0, 4))):
        if depth > 5 or draw(st.booleans()):
            out.append(
                draw(st.sampled_from(["text ", "  ", "\n", "\u00a0", "word, more. ", "&amp;", "<!--x-->"]))
            )
            continue
        tag = draw(st.sampled_from(_TAGS))
        attrs = "".join(
            f" {name}" if value is None else f' {name}="{value}"'
            for name, value in draw(
                st.lists(st.tuples(st.sampled_from(_ATTRS), st.none() | st.sampled_from(_VALUES)), max_size=3)
            )
        )
        out.append(f"<{tag}{attrs}>{draw(_markup(depth + 1))}</{tag}>")
    return "".join(out)


@needs_compiled
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup())
def test_generated_markup_walks_the_same(body: str) -> None:
    _same(f"<html><head><title>t</title></head><body>{body}</body></html>")


_WORDS = st.sampled_from(
    ["author", "Byline", "AUTOR", "date", "publish", "time", "breadcrumb", "tags", "keyword", "caption",
     "bildunterschrift", "paywall", "premium-content", "Subscriber-Only", "piano-offer", "plus-teaser", "regwall",
     "subtitle", "description", "InfoText", "related", "share", "comment", "\u212aeyword", "\u0130tem"]
)  # fmt: skip
_ATTR_TEXT = st.lists(_WORDS | st.text(alphabet="abcdefXYZ0189-_ :;\u00e9", max_size=12), max_size=8).map(
    " ".join
)


@needs_compiled
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ATTR_TEXT, _ATTR_TEXT, _ATTR_TEXT)
def test_class_id_and_role_words_read_the_same(cls: str, ident: str, role: str) -> None:
    # the compiled walk reads ASCII values without the Python helpers' regexes; others with them
    esc = {ord("'"): "&#39;"}
    _same(
        f"<body><div class='{cls.translate(esc)}' id='{ident.translate(esc)}' role='{role.translate(esc)}'>"
        f"<p class='{cls.translate(esc)}'>a</p><span class='{role.translate(esc)}'>b</span></div></body>"
    )


def _stats_both(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    from broadsheet.article import Candidate

    cands = [Candidate(t, link_chars=len(t) // 3) for t in texts]
    return _both(html_features, "COMPILED_COUNTS", lambda: html_features._text_stats(cands))


@needs_compiled
def test_the_install_built_the_compiled_counts() -> None:
    assert html_features.COMPILED_COUNTS is not None


@needs_compiled
def test_block_statistics_are_the_same_on_project_pages() -> None:
    pages = sorted((ROOT / "examples" / "pages").glob("*.html")) + [
        p.html for p in synthetic.generate(20, seed=3)
    ]
    for page in pages:
        doc = html.parse_html(
            read(page.read_bytes() if isinstance(page, Path) else page, kind="html"), Options()
        )
        texts = [c.text for c in doc.candidates]
        assert html_features.COMPILED_COUNTS(texts, html_features._STOPWORDS) is not None  # type: ignore[misc]
        python, compiled = _stats_both(texts)
        assert np.array_equal(python, compiled, equal_nan=True)


_TEXT_PIECES = st.sampled_from(
    ["The", "the", "AND", "und", "für", "FÜR", "été", "Élan", "\u4e2d\u6587\u3002", "\ud55c\uad6d\uc5b4", "3.14", "end.",
     "a, b", "\u3001", "\uff0c", "\u00c9", "\u00de\u00df", "x" * 40, "THE" * 12, "\u03a3\u03a3", "\u0130", "\u212a"]
)  # fmt: skip


@needs_compiled
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(_TEXT_PIECES | st.text(max_size=6), min_size=1, max_size=8).map(" ".join),
        min_size=1,
        max_size=6,
    )
)
def test_block_statistics_are_the_same_on_generated_text(texts: list[str]) -> None:
    texts = [t for t in texts if t.strip() and "\n" not in t] or ["word"]
    python, compiled = _stats_both(texts)
    assert np.array_equal(python, compiled, equal_nan=True)


@needs_compiled
def test_open_depth_is_the_same() -> None:
    count = html.COMPILED_OPEN_DEPTH
    assert count is not None
    cases = [
        "<div><a></a></i><span>" * 50,
        "<a<b</a",
        "</x><Div><DIV></div><br><BR/><p><li><td>",
        "<" + "x" * 40 + ">",  # a name longer than the compiled count tracks: -1, the Python count runs
        "".join(f"<x{i}>" for i in range(3000)),  # more distinct names than half its table
        "< a></ b><1><a1b2><A1B2></a1b2>",
        "\u00e9<d\u00e9v><div\u00e9>",
        *(
            path.read_text(encoding="utf-8", errors="replace")
            for path in sorted((ROOT / "examples" / "pages").glob("*.html"))
        ),
    ]
    for content in cases:
        got = count(content, html._NEVER_NEST)
        assert got == html._open_depth(content) or got == -1
    assert count("<" + "x" * 40 + ">", html._NEVER_NEST) == -1
    assert count("".join(f"<x{i}>" for i in range(3000)), html._NEVER_NEST) == -1


@needs_compiled
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["<", "</", ">", "div", "DIV", "span", "p", "br", "a1", " ", "x", "\u00e9", "/", "<!--"]
        ),
        max_size=60,
    ).map("".join)
)
def test_open_depth_is_the_same_on_generated_markup(content: str) -> None:
    assert html.COMPILED_OPEN_DEPTH(content, html._NEVER_NEST) == html._open_depth(content)  # type: ignore[misc]


def test_pure_python_switch_gives_the_same_article() -> None:
    page = (ROOT / "examples" / "pages").glob("*.html").__next__()
    code = (
        "import json, sys, broadsheet\n"
        "from broadsheet.pipeline import html\n"
        "a = broadsheet.extract(open(sys.argv[1], 'rb').read(), kind='html')\n"
        "print(json.dumps([html.COMPILED is not None, a.to_dict()], sort_keys=True, default=str))\n"
    )
    runs = []
    for pure in ("", "1"):
        env = {**os.environ, "BROADSHEET_PURE_PYTHON": pure}
        out = subprocess.run(
            [sys.executable, "-c", code, str(page)], env=env, capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout))
    assert runs[1][0] is False  # the switch turns the compiled walk off
    assert runs[0][1] == runs[1][1]


_SHIPPED = sorted(
    p.name.removesuffix(".json.gz") for p in (ROOT / "src" / "broadsheet" / "models").glob("*.json.gz")
)


def _raw_both(model: TreeModel, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``model.raw(x)`` with the numpy steps, then compiled."""
    assert tree_model.COMPILED_RAW is not None
    return _both(tree_model, "COMPILED_RAW", lambda: model.raw(x))


def _inputs(rng: np.random.Generator, rows: int, features: int) -> np.ndarray:
    """Rows on the scale of the features, some on the thresholds' grid, some NaN or infinite."""
    x = rng.normal(size=(rows, features)) * rng.choice([0.1, 1.0, 10.0, 1000.0], size=(1, features))
    x[:, ::3] = np.round(x[:, ::3])
    holes = rng.random(x.shape)
    x[holes < 0.1] = np.nan
    x[holes > 0.98] = np.inf
    x[(holes > 0.96) & (holes <= 0.98)] = -np.inf
    return x


@needs_compiled
@pytest.mark.parametrize("name", _SHIPPED)
def test_shipped_models_sum_the_same(name: str) -> None:
    model = load_model(name)
    rng = np.random.default_rng(len(name))
    for rows in (1, 7, 333):
        python, compiled = _raw_both(model, _inputs(rng, rows, len(model.feature_names)))
        assert python.tobytes() == compiled.tobytes()


@needs_compiled
@pytest.mark.parametrize(("trees", "depth"), [(1, 0), (5, 1), (8, 3), (129, 4), (300, 6), (1000, 2)])
def test_forests_of_any_size_sum_the_same(trees: int, depth: int) -> None:
    """Fewer than 8 trees, one block of numpy's pairwise sum, and several (its halving above 128)."""
    rng = np.random.default_rng(trees)
    model = _random_model(rng, 6, trees, depth)
    model.default_left = rng.random(len(model.feature)) < 0.5
    x = _inputs(rng, 50, 6)
    x[:, 1] = rng.integers(-4, 5, size=50) / 2  # ties with the thresholds' grid
    python, compiled = _raw_both(model, x)
    assert python.tobytes() == compiled.tobytes()
    assert np.isfinite(compiled).all()


@needs_compiled
def test_many_rows_need_no_chunks() -> None:
    """The numpy steps take rows in chunks of 4,096; the compiled walk takes them all at once."""
    model = load_model("html_block")
    python, compiled = _raw_both(model, _inputs(np.random.default_rng(1), 9000, len(model.feature_names)))
    assert python.tobytes() == compiled.tobytes()


@needs_compiled
@pytest.mark.parametrize("seed", range(4))
def test_packed_models_score_the_same(seed: int) -> None:
    assert text_trees.COMPILED_RAW is not None
    rng = np.random.default_rng(seed)
    models = [load_model("text_title"), load_model("text_date"), _random_model(rng, 48, 150, 6)]
    models[2].feature_names = list(models[0].feature_names)
    packed = text_trees.pack(models, models[0].feature_names.index)
    x = np.abs(_inputs(rng, len(models[0].feature_names), 400))
    x[~np.isfinite(x)] = 0.0  # the text path's matrices hold no NaN
    lines = x[:, 1:398:2]  # a strided view (as callers pass), 199 lines: a part-filled block of 8
    python, compiled = _both(text_trees, "COMPILED_RAW", lambda: text_trees.scores(packed, lines))
    assert compiled.shape == (3, 199)
    assert python.tobytes() == compiled.tobytes()


@needs_compiled
def test_compiled_trees_refuse_short_outputs() -> None:
    model = load_model("html_page")
    model.raw(np.zeros((1, len(model.feature_names))))  # builds the complete trees
    assert model.dense is not None
    feature, threshold, nan_left, leaves, roots = model.dense
    walk = tree_model.COMPILED_RAW
    x = np.zeros((3, len(model.feature_names)))
    with pytest.raises(ValueError, match="too small"):
        walk(x, feature, threshold, nan_left.view(np.uint8), leaves, roots, model.depth, np.empty(2))
    title = load_model("text_title")
    packed = text_trees.pack([title], title.feature_names.index)
    raw = text_trees.COMPILED_RAW
    assert raw is not None
    lines = np.zeros((5, len(title.feature_names)))
    parts = (packed.feature, packed.threshold, packed.leaf, packed.top, packed.depth)
    with pytest.raises(ValueError, match="too small"):
        raw(lines, *parts, packed.bounds, np.empty((1, 4)))
    with pytest.raises(ValueError, match="without trees"):
        raw(lines, *parts, np.array([0, 0, packed.trees], dtype=np.intp), np.empty((2, 5)))


@needs_compiled
def test_version_names_the_compiled_modules() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from broadsheet.cli import main; main(['--version'])"],
        capture_output=True,
        text=True,
    ).stdout
    assert "compiled HTML walk, block counts, tree sums, token counts" in out
    assert "MinHash signatures" in out


def _line_features_both(lines: list[str], url: str | None) -> tuple[np.ndarray, np.ndarray]:
    """``text_features.line_features(...).x`` with the compiled token counts, then with the numpy ones."""
    groups = list(range(len(lines)))
    return _both(text_features, "COMPILED_TOKENS", lambda: text_features.line_features(lines, groups, url).x)


def _differing(python: np.ndarray, compiled: np.ndarray) -> list[str]:
    return [
        text_features.FEATURES[i] for i in range(len(python)) if python[i].tobytes() != compiled[i].tobytes()
    ]


@needs_compiled
def test_the_install_built_the_token_counts() -> None:
    assert text_features.COMPILED_TOKENS is not None


@needs_compiled
def test_token_counts_are_the_same_on_project_pages() -> None:
    pages = [
        *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "text").glob("*.txt"))),
        (ROOT.parent / "shared" / "examples" / "000_66186793e5fbea9e.txt").read_text(encoding="utf-8")
        if (ROOT.parent / "shared" / "examples").is_dir()
        else "",
    ]
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 5
    for text in pages:
        lines = [line for line in text.splitlines() if line.strip()]
        for url in (
            None,
            "https://example.com/world/2024/05/harbour-plan-approved-by-council",
            "https://x.y/",
        ):
            python, compiled = _line_features_both(lines, url)
            assert not _differing(python, compiled)


_LINE_WORDS = st.sampled_from(
    ["By", "Jane", "Doe", "the", "and", "Tags:", "Topics", "harbour", "council", "plan", "news", "Read", "more",
     "Share", "this", "2024", "July", "13,", "08:49", "中文", "新闻。", "한국어", "é", "Ünïcödé", "🙂", "a_b", "x" * 30,
     "photo", "credit:", "Reuters", "—", "...", "“quoted”", "world", "approved"]
)  # fmt: skip


@needs_compiled
@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_LINE_WORDS | st.text(max_size=5), min_size=1, max_size=12).map(" ".join), max_size=25),
    st.sampled_from(
        [None, "https://example.com/news/harbour-plan-approved", "https://example.com/2024/07/13/"]
    ),
)
def test_token_counts_are_the_same_on_generated_lines(lines: list[str], url: str | None) -> None:
    lines = [" ".join(line.split()) for line in lines]
    lines = [line for line in lines if line] or ["word"]
    python, compiled = _line_features_both(lines, url)
    assert not _differing(python, compiled)


@needs_compiled
def test_token_counts_refuse_offsets_outside_the_text() -> None:
    count = text_features.COMPILED_TOKENS
    _, keys, values = text_features._lexicon()
    low = np.array([97, 98, 32, 99], dtype=np.uint32)
    line = np.zeros(4, dtype=np.intp)
    common = (
        text_features._HASH_R,
        text_features._BIGRAM_MIX,
        keys,
        values,
        len(text_features._KEY_KINDS) + 1,
    )
    ok = count(low, np.array([0, 3]), np.array([2, 4]), line, 1, 2, *common, text_features._TAG_BIT, 4)
    assert ok[1].tolist() == [2]  # two tokens on the one line
    with pytest.raises(ValueError, match="out of range"):
        count(low, np.array([0, 3]), np.array([2, 9]), line, 1, 2, *common, text_features._TAG_BIT, 4)
    with pytest.raises(ValueError, match="outside the page's lines"):
        count(low, np.array([0, 3]), np.array([2, 4]), line, 0, 2, *common, text_features._TAG_BIT, 4)


@needs_compiled
def test_the_install_built_the_signatures() -> None:
    assert dedup.COMPILED_SIGNATURE is not None


def _fingerprints_both(text: str) -> tuple[dedup.Fingerprint, dedup.Fingerprint]:
    return _both(dedup, "COMPILED_SIGNATURE", lambda: dedup.fingerprint(text))


@needs_compiled
def test_signatures_are_the_same_on_generated_articles() -> None:
    pages = synthetic.generate(60, seed=11)
    texts = ["\n\n".join(p.truth["body"]) for p in pages] + [p.text for p in pages]
    short = (dedup.MIN_WORDS - 1, dedup.MIN_WORDS, 40)  # no shingles; one shingle; one distinct shingle
    texts += [" ".join(["word"] * n) for n in short]
    texts.append(" ".join(f"w{i}" for i in range(20_000)))  # past the precomputed powers; every bin filled
    for text in texts:
        python, compiled = _fingerprints_both(text)
        assert python == compiled
    assert _fingerprints_both(texts[-2])[1].shingles == 1  # 40 equal words: one distinct shingle


@needs_compiled
@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE_WORDS | st.text(min_size=1, max_size=6), min_size=0, max_size=80).map(" ".join))
def test_signatures_are_the_same_on_generated_texts(text: str) -> None:
    python, compiled = _fingerprints_both(text)
    assert python == compiled


@needs_compiled
def test_signatures_refuse_too_few_words_and_foreign_bins() -> None:
    sign = dedup.COMPILED_SIGNATURE
    args = (dedup._BASE, dedup._BASE_INVERSE)
    shift = int(dedup._VALUE_SHIFT)
    ok, count = sign(b"a b c d e f g h", 8, *args, dedup._probes(), dedup._BIN_BITS, shift)
    assert count == 1 and len(ok) == 4 * dedup.NUM_PERM
    with pytest.raises(ValueError, match="too few words"):
        sign(b"a b c", 8, *args, dedup._probes(), dedup._BIN_BITS, shift)
    with pytest.raises(ValueError, match="probes"):
        sign(b"a b c d e f g h", 8, *args, dedup._probes(), dedup._BIN_BITS + 1, shift)
    with pytest.raises(ValueError, match="probes"):
        sign(b"a b c d e f g h", 8, *args, np.zeros((512, 512), dtype=np.int64), 9, shift)
