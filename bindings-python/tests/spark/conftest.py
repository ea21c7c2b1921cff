"""One local Spark session for every Spark test (``local[2,2]``: 2 cores, a failed task retried once; UI off, 4 shuffle partitions)."""

import os
import sys

import pytest

# PySpark 4.3 warns that it does not fully support pandas >= 3; the Spark door
# stays on Arrow batches, so that one warning (by message) is not an error here.
PANDAS3_WARNING = "ignore:PySpark does not yet fully support pandas:FutureWarning"


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.filterwarnings(PANDAS3_WARNING))


@pytest.fixture(scope="session")
def spark():
    """The shared SparkSession: ``local[2,2]`` (a failed task is retried once, as on a cluster), UI off, 4 shuffle partitions, UTC."""
    pytest.importorskip("pyspark")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2,2]")
        .appName("retention-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.log.level", "ERROR")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    yield session
    session.stop()
