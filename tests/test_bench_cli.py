"""``python -m bench``: arguments are checked, and the gate skips cleanly without the development data."""

from __future__ import annotations

import pytest
from bench import datasets, gate
from bench.__main__ import main


def test_unknown_sets_and_peers_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", "--sets", "fundus,nope"])
    assert exc.value.code == 2 and "unknown nope" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["run", "--peers", "boilerpipe"])


def test_gate_skips_with_a_message_when_the_data_is_absent(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(datasets, "data_root", lambda: None)
    assert gate.main() == 0
    assert "skipped" in capsys.readouterr().out
