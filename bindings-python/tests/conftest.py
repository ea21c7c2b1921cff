import os

import pytest

import retention


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
