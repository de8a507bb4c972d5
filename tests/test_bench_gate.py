"""The regression gate on a tiny synthetic sample: digest, floors, failures, and re-pinning on purpose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench import gate
from bench.cases import Page, truth_from_labels

from broadsheet.synthetic import generate


@pytest.fixture(scope="module")
def sample() -> tuple[list[Page], dict[str, str]]:
    made = generate(4, seed=7)
    found = [
        Page("synthetic", f"{i:016x}", p.url, truth_from_labels(p.truth), html=p.html.encode("utf-8"))
        for i, p in enumerate(made)
    ]
    texts = {f"{i:016x}": p.text for i, p in enumerate(made)}
    return found, texts


@pytest.fixture(scope="module")
def scores(sample: tuple[list[Page], dict[str, str]]) -> dict[str, float]:
    found, texts = sample
    return gate.evaluate(found, ("html", "resiliparse"), lambda page, variant: texts[page.id])


def test_scores_cover_body_fields_and_errors_for_each_variant(scores: dict[str, float]) -> None:
    for variant in ("html", "resiliparse"):
        assert f"synthetic/{variant}/body_f1" in scores
        assert f"synthetic/{variant}/title_exact" in scores
        assert scores[f"synthetic/{variant}/errors"] == 0.0
    assert all(-1.0 <= v <= 1.0 for v in scores.values())


def test_digest_is_stable_and_changes_with_any_page_byte(sample: tuple[list[Page], dict[str, str]]) -> None:
    found, _ = sample
    assert gate.digest(found) == gate.digest(list(found))
    changed = [
        *found[:-1],
        Page(found[-1].set, found[-1].id, None, found[-1].truth, html=found[-1].html + b" "),
    ]
    assert gate.digest(changed) != gate.digest(found)
    assert gate.digest(found[:-1]) != gate.digest(found)


def test_pinned_scores_pass_and_a_drop_below_the_floor_fails(
    tmp_path: Path, scores: dict[str, float]
) -> None:
    path = tmp_path / "floors.json"
    pinned = gate.update(scores, "d1", path, "first pin")
    assert gate.check(scores, "d1", pinned).ok
    name = "synthetic/html/body_f1"
    dropped = {**scores, name: scores[name] - 0.05}
    verdict = gate.check(dropped, "d1", pinned)
    assert not verdict.ok and any(name in f for f in verdict.failures)
    within = {**scores, name: scores[name] - gate.TOLERANCE / 2}
    assert gate.check(within, "d1", pinned).ok


def test_a_changed_sample_or_a_lost_score_fails(tmp_path: Path, scores: dict[str, float]) -> None:
    pinned = gate.update(scores, "d1", tmp_path / "floors.json", "first pin")
    assert "sample changed" in " ".join(gate.check(scores, "d2", pinned).failures)
    lost = {k: v for k, v in scores.items() if not k.endswith("title_exact")}
    assert any("no longer measured" in f for f in gate.check(lost, "d1", pinned).failures)
    extra = gate.check({**scores, "synthetic/html/new_metric": 0.5}, "d1", pinned)
    assert extra.ok and any("no floor yet" in n for n in extra.notes)


def test_floors_move_only_with_a_reason_and_keep_their_history(
    tmp_path: Path, scores: dict[str, float]
) -> None:
    path = tmp_path / "floors.json"
    with pytest.raises(ValueError, match="reason"):
        gate.update(scores, "d1", path, "  ")
    gate.update(scores, "d1", path, "first pin")
    lower = {**scores, "synthetic/html/body_f1": 0.1}
    gate.update(lower, "d1", path, "accept a known regression")
    doc = json.loads(path.read_text())
    assert doc["reason"] == "accept a known regression" and doc["updated"]
    assert [h["reason"] for h in doc["history"]] == ["first pin", "accept a known regression"]
    assert doc["history"][-1]["moved"]["synthetic/html/body_f1"][1] == 0.1
    assert doc["floors"]["synthetic/html/body_f1"] <= 0.1


def test_the_command_refuses_to_repin_without_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert gate.main(update_floors=True, reason=None) == 2
    assert "--reason" in capsys.readouterr().err
