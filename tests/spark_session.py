"""A pytest plugin: one real SparkSession in local mode, shared by the whole test run (marker ``spark``).

Loopback only (``SPARK_LOCAL_IP``, the driver bound to 127.0.0.1), no UI, two cores and few shuffle
partitions; the Python workers run this interpreter. Skipped with the reason when pyspark or Java is absent.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


def spark_missing() -> str | None:
    """Why Spark cannot run here, or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed: pip install 'broadsheet[spark]'"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Spark needs Java 17+: apt-get install openjdk-17-jre-headless"
    return None


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    reason = spark_missing()
    if reason:
        pytest.skip(reason)
    from broadsheet.spark import session

    spark = session("local[2]", conf={"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"})
    yield spark
    spark.stop()
