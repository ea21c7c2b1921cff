import os
import sys

import pytest

import retention

# Spark's Python workers (retention.spark tests and doctests) run this interpreter.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)


@pytest.fixture(scope="session")
def sample_events_pa():
    return retention.sample_events(library="pyarrow")


@pytest.fixture(scope="session")
def sample_log():
    return retention.EventLog.sample()


def reference(module: str):
    """Imports a reference library; required (not skipped) in .venv-ref runs."""
    if os.environ.get("RETENTION_REQUIRE_REFERENCE"):
        return __import__(module)
    return pytest.importorskip(module)


def pytest_collection_modifyitems(config, items):
    """retention.spark's doctests start a local Spark: skipped where pyspark is absent."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        skip = pytest.mark.skip(reason="pyspark is not installed")
        for item in items:
            if item.name.startswith("retention.spark"):
                item.add_marker(skip)
