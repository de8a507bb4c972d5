"""Inputs that once broke extraction (found by fuzzing, or by hand), each kept as a fixture so that it
stays fixed: every file of ``tests/fixtures/fuzz`` must keep the fuzz targets' promises.

A file's prefix says how it is given: ``html-`` and ``text-`` as that kind, the rest of the name says
what it is. Inputs not fixed yet are listed in ``OPEN`` with where the fix belongs: their tests are
strict xfails, so that a fix is noticed (remove the entry then).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import broadsheet

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fuzz"
sys.path.insert(0, str(FIXTURES.parent.parent.parent / "fuzz"))
from target import check  # noqa: E402

#: Inputs that still break a promise: file name → why, and which module must change.
OPEN: dict[str, str] = {}


def _cases() -> list[object]:
    cases = []
    for path in sorted(FIXTURES.iterdir()):
        marks = [pytest.mark.xfail(strict=True, reason=OPEN[path.name])] if path.name in OPEN else []
        cases.append(pytest.param(path, marks=marks, id=path.name))
    return cases


@pytest.mark.parametrize("path", _cases())
def test_found_inputs_keep_the_promises(path: Path) -> None:
    kind = path.name.split("-", 1)[0]
    data = path.read_bytes()
    for given in (data, data.decode("utf-8", "replace")):
        check(broadsheet.extract(given, kind=kind), given)


def test_every_open_case_has_its_fixture() -> None:
    assert set(OPEN) <= {path.name for path in FIXTURES.iterdir()}
    assert all(path.name.split("-", 1)[0] in ("html", "text") for path in FIXTURES.iterdir())


# -- hangs: inputs on which lexbor's tree builder is quadratic ------------------------------------------
# In a worker pool the per-page deadline stops them (tests/test_hostile_limits.py); in this process the
# page is tamed before parsing (pipeline/html.py ``tame``), like the nesting-depth check. These sizes
# take lexbor about a second untamed; ten times more take a hundred.

QUADRATIC = {
    "attributes": "<!doctype html><html><body><div "
    + " ".join(f"a{i}" for i in range(20_000))
    + "><p>x</p></div>",
    # a slash separates attributes as a space does
    "slashed attributes": "<!doctype html><html><body><div "
    + "/".join(f"a{i}" for i in range(20_000))
    + "><p>x</p></div>",
    "quoted attributes": "<!doctype html><html><body><div "
    + " ".join(f'a{i}="v {i} >"' for i in range(20_000))
    + "><p>x</p></div>",
    "options": "<!doctype html><html><body><select>" + "<option>x" * 20_000 + "</select></body></html>",
    # values and names holding "<": the "<"s are close together, so every start tag is read
    "values with <": "<!doctype html><html><body><div "
    + " ".join(f'a{i}="<"' for i in range(60_000))
    + "></div>",
    "names with <": "<!doctype html><html><body><div "
    + " ".join(f"a{i}<" for i in range(60_000))
    + "></div>",
}


@pytest.mark.parametrize("what", sorted(QUADRATIC))
def test_quadratic_markup_is_tamed_before_parsing(what: str) -> None:
    from broadsheet.pipeline.html import tame

    tamed = tame(QUADRATIC[what], QUADRATIC[what].count("<"))
    assert len(tamed) < 200 and "a19999" not in tamed and "<option" not in tamed
    body = "<p>" + "The council met on Tuesday to discuss the harbour plan in detail. " * 20 + "</p>"
    page = QUADRATIC[what].replace("<body>", "<body>" + body, 1)
    article = broadsheet.extract(page, kind="html")
    assert article.ok and "harbour plan" in article.text


def test_many_crowded_elements_are_each_tamed() -> None:
    """Under the limit per element lexbor is still quadratic in each: 200 elements of 2,000 attributes
    took it 2.5 s, so the limit is low (real elements carry a few dozen)."""
    from broadsheet.pipeline.html import MAX_ATTRIBUTES, tame

    crowded = "<div " + " ".join(f"a{i}" for i in range(2_000)) + ">x</div>"
    near = "<div " + "/".join(f"a{i}" for i in range(MAX_ATTRIBUTES)) + ">y</div>"
    page = "<body>" + crowded * 200 + near + "</body>"
    assert tame(page, page.count("<")) == "<body>" + "<div>x</div>" * 200 + near + "</body>"
    unclosed = "<body><p>z</p><div " + " ".join(f"a{i}" for i in range(2_000))
    assert tame(unclosed, unclosed.count("<")) == "<body><p>z</p><div>"


def test_taming_leaves_ordinary_and_huge_but_linear_markup_alone() -> None:
    from broadsheet.pipeline.html import tame

    many = "<body " + " ".join(f"a{i}=v{i}" for i in range(250)) + "><p>" + "word " * 5_000 + "</p>"
    huge = '<body data-junk="' + "x" * 200_000 + '"><p>text</p>'
    options = "<select>" + "<option>choice" * 300 + "</select>" + "<p>" + "word " * 5_000 + "</p>"
    for page in (many, huge, options):
        assert tame(page, page.count("<")) == page


def test_unreadable_urls_given_with_the_page_are_no_error() -> None:
    # ``urlsplit`` and ``urljoin`` raise on an unclosed IPv6 bracket: as the page URL too
    page = (FIXTURES / "html-unreadable-ipv6-urls.html").read_bytes()
    article = broadsheet.extract(page, "http://[page-url/story", kind="html")
    assert article.is_article and article.error is None
    assert article.title == "Harbour works begin"
    assert "harbour wall" in article.text
