from __future__ import annotations

import json
from pathlib import Path

import pytest

# Servers the tests start for real: one SparkSession per run, one PostgreSQL server per run.
pytest_plugins = ["spark_session", "pg_server"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "examples" / "000_66186793e5fbea9e.txt"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"seed example not found at {SEED} (../shared is not on this machine)")
    return SEED


@pytest.fixture
def seed_expected(seed_path: Path) -> dict:
    return json.loads(seed_path.with_name("000_66186793e5fbea9e.expected.json").read_text(encoding="utf-8"))
