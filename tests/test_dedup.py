"""Dedup: exact hashes, MinHash near duplicates, story clusters on a generated wire corpus."""

from __future__ import annotations

import hashlib
import itertools
import subprocess
import sys
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from broadsheet import Archive, Input, dedup, extract
from broadsheet.synthetic import generate, wire_corpus


@pytest.fixture(scope="module")
def wire():
    pages = wire_corpus(30, seed=21)
    texts = [extract(p.html, p.url).text for p in pages]
    return pages, texts


def pair_scores(labels: list, truth: list) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against the true stories."""

    def pairs(lab: list) -> set[tuple[int, int]]:
        groups = defaultdict(list)
        for i, x in enumerate(lab):
            groups[x].append(i)
        return {p for g in groups.values() for p in itertools.combinations(g, 2)}

    found, true = pairs(labels), pairs(truth)
    return len(found & true) / max(1, len(found)), len(found & true) / max(1, len(true))


def test_text_hash_ignores_case_spacing_and_punctuation() -> None:
    a = "The council approved the plan, officials said.\n\nIt will cost £4m."
    b = "the council  approved the plan officials said -- it will cost £4M"
    assert dedup.text_hash(a) == dedup.text_hash(b)
    assert dedup.text_hash(a) != dedup.text_hash(a.replace("approved", "rejected"))


def test_truncated_and_padded_copies_are_near_duplicates(wire) -> None:
    pages, texts = wire
    by_story = defaultdict(list)
    for page, text in zip(pages, texts, strict=True):
        by_story[page.story_id].append((page.variant, text))
    story = next(v for v in by_story.values() if {"truncated", "original"} <= {x for x, _ in v})
    original = dedup.fingerprint(next(t for x, t in story if x == "original"))
    truncated = dedup.fingerprint(next(t for x, t in story if x == "truncated"))
    jaccard, containment = dedup.overlap(original, truncated)
    assert containment >= dedup.CONTAINMENT > jaccard, "a cut copy is contained, not similar"
    assert dedup.is_near_duplicate(original, truncated)
    other = next(v for v in by_story.values() if v is not story)
    assert not dedup.is_near_duplicate(original, dedup.fingerprint(other[0][1]))


def test_signatures_stay_those_stored_by_earlier_versions() -> None:
    # Archives keep signatures across runs: within one SIGNATURE_SCHEME a faster fingerprint must give the
    # very same values (a new kind of signature is a new scheme, which archives re-sign their texts for).
    # The text hash was computed by the first implementation (per-word regex); the signature by scheme 2's.
    text = "Straße “quoted” naïve café, the council's plan_b: 42 ﬁne ½ " + " ".join(
        f"word{i % 13} Über" for i in range(40)
    )
    fp = dedup.fingerprint(text)
    assert dedup.SIGNATURE_SCHEME == 2
    assert fp.text_hash == "5588b5d15943dc0ebdb56bfa0dd38d74"
    assert hashlib.blake2b(fp.signature, digest_size=8).hexdigest() == "b0eb091676341282"
    assert fp.shingles == 38


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
@example("“Quoted” — it’s «fine», „ja“ · • x_y")  # typographic marks only: the all-ASCII path
@example("“Quoted” — Ünïcode ½ ﬁne e\u0301 Straße")  # and with other characters left
@example("Über „Straße“ naïve_ÿ 东京 2024")  # letters only beside ASCII: the pieces are the words
def test_fast_word_split_matches_the_regular_expression(text: str) -> None:
    assert dedup._word_bytes(text) == [w.encode("utf-8") for w in dedup._words(text)]
    assert dedup.fingerprint(text).text_hash == dedup.text_hash(text)


def test_signatures_are_the_same_in_another_process() -> None:
    text = generate(1, seed=2)[0].truth["body"]
    joined = "\n\n".join(text)
    here = dedup.fingerprint(joined)
    code = (
        "import sys; from broadsheet import dedup; "
        "fp = dedup.fingerprint(sys.stdin.read()); print(fp.text_hash, fp.signature.hex(), fp.shingles)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=joined,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""} | _pythonpath(),
    )
    assert out.stdout.split() == [here.text_hash, here.signature.hex(), str(here.shingles)]


def _pythonpath() -> dict[str, str]:
    import os

    return {"PYTHONPATH": os.pathsep.join(sys.path)}


def test_short_texts_match_only_exactly() -> None:
    short = dedup.fingerprint("Breaking news: more soon.")
    assert short.shingles == 0 and dedup.band_keys(short) == []
    assert dedup.is_near_duplicate(short, dedup.fingerprint("breaking NEWS -- more soon"))
    assert not dedup.is_near_duplicate(short, dedup.fingerprint("Breaking news: nothing yet."))


def test_clusters_on_a_wire_corpus_reach_precision_and_recall(wire) -> None:
    pages, texts = wire
    labels = dedup.cluster([dedup.fingerprint(t) for t in texts])
    precision, recall = pair_scores(labels, [p.story_id for p in pages])
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    assert len(set(labels)) < len(pages)


def test_clusters_do_not_depend_on_order(wire) -> None:
    _, texts = wire
    prints = [dedup.fingerprint(t) for t in texts]
    order = list(range(len(prints)))[::-1]
    forward = dedup.cluster(prints)
    backward = dedup.cluster([prints[i] for i in order])

    def partition(labels: list[int], idx: list[int]) -> set[frozenset[int]]:
        return {frozenset(idx[i] for i, x in enumerate(labels) if x == lab) for lab in labels}

    assert partition(forward, list(range(len(prints)))) == partition(backward, order)


def test_boilerplate_shared_by_many_does_not_make_a_story() -> None:
    stock = (
        "Officials said a final decision would be taken before the end of the year and that residents "
        "would be consulted at public meetings across the district in the coming weeks. "
    )
    bodies = ["\n\n".join(p.truth["body"]) for p in generate(dedup.BUCKET_CAP + 20, seed=8)]
    prints = [dedup.fingerprint(stock * 3 + body) for body in bodies]
    assert len(set(dedup.cluster(prints))) == len(prints)


def test_wire_agency_names_the_source() -> None:
    assert dedup.wire_agency(["Jane Doe", "reuters"]) == "Reuters"
    assert dedup.wire_agency(["Associated Press"]) == "Associated Press"
    assert dedup.wire_agency(["Amara Okafor"]) is None


def test_archive_clusters_match_batch_clustering_and_name_sources(tmp_path, wire) -> None:
    pages, texts = wire
    inputs = [Input(content=p.html, url=p.url, source=f"wire#{i}") for i, p in enumerate(pages)]
    with Archive(tmp_path / "wire.db") as archive:
        archive.ingest(inputs, workers=0)
        stored = {s.source: s for s in archive.iter_articles()}
        assert len(stored) == len(pages)
        expected = dedup.cluster([dedup.fingerprint(t) for t in texts])
        by_cluster = defaultdict(set)
        for i, _ in enumerate(pages):
            by_cluster[expected[i]].add(stored[f"wire#{i}"].id)
        truth_groups = {frozenset(g) for g in by_cluster.values() if len(g) > 1}
        clusters = archive.clusters(limit=1000)
        assert {frozenset(m.id for m in c.members) for c in clusters} == truth_groups
        for c in clusters:
            assert c.size == len(c.members) >= 2 and c.canonical == c.members[0]
            assert all(m.cluster_id == c.id == min(x.id for x in c.members) for m in c.members)
            agencies = {dedup.wire_agency(m.authors) for m in c.members} - {None}
            if agencies:
                assert c.wire and c.source in agencies
                assert dedup.wire_agency(c.canonical.authors) == c.source
            else:
                dated = [m.published for m in c.members if m.published]
                assert not c.wire and c.source == c.canonical.site
                assert not dated or c.canonical.published == min(dated)
            assert c.canonical.site not in c.also_published_by
            assert set(c.also_published_by) == {m.site for m in c.members} - {c.canonical.site}
        sizes = [c.size for c in clusters]
        assert sizes == sorted(sizes, reverse=True)
        assert archive.stats().clusters == len(clusters)
        assert archive.recluster() == 0, "nothing new: clusters are current"
        assert archive.recluster(force=True) == 0, "recomputing gives the same clusters"


@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=200))
def test_distinct_values_are_numpys_unique(values: list[int]) -> None:
    # the sort-based replacement for np.unique that shingle sets and candidate pairs go through
    array = np.array(values, dtype=np.uint64)
    assert np.array_equal(dedup._distinct(array), np.unique(array))


def test_one_permutation_signatures_estimate_jaccard_similarity() -> None:
    # 400 pairs of shingle-hash sets, 10 to 800 shingles, sharing a random part: the share of equal signature
    # values estimates their Jaccard similarity without bias (empty bins of small sets densified)
    rng = np.random.default_rng(7)
    errors = []
    for _ in range(400):
        n = int(rng.integers(10, 800))
        shared = int(rng.integers(0, n))
        a = rng.integers(0, 2**64, n, dtype=np.uint64)
        b = np.concatenate([a[:shared], rng.integers(0, 2**64, n - shared, dtype=np.uint64)])
        a, b = np.unique(a), np.unique(b)
        truth = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
        estimate = np.count_nonzero(dedup._minhash(a) == dedup._minhash(b)) / dedup.NUM_PERM
        errors.append(estimate - truth)
    err = np.array(errors)
    assert abs(err.mean()) < 0.01 and np.sqrt((err**2).mean()) < 0.05


def test_a_small_set_fills_every_bin_from_its_own_values() -> None:
    hashes = np.unique(np.random.default_rng(3).integers(0, 2**64, 9, dtype=np.uint64))
    signature = dedup._minhash(hashes)
    own = {int(h >> np.uint64(25)) & 0xFFFFFFFF for h in hashes}
    assert set(signature.tolist()) <= own and len(set(signature.tolist())) == len(own)
