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
        # Task results over 1 MiB travel through the block manager, which must
        # advertise the address it is bound to.
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.log.level", "ERROR")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


MILLION_CUSTOMERS = 38_500  # the sample shop's generator: ~26 events per customer, ~1.09M events (seed 42)


@pytest.fixture(scope="session")
def million_shop():
    """The ~1M-event generated shop, built once per session: (Arrow events, single-machine EventLog)."""
    import retention

    log = retention.EventLog.sample(seed=42, customers=MILLION_CUSTOMERS)
    return log.to_frame("pyarrow"), log


@pytest.fixture(scope="session")
def million_events(spark, million_shop):
    """The ~1M events as one cached Spark DataFrame (8 partitions), shared by every test that needs them."""
    df = spark.createDataFrame(million_shop[0]).repartition(8).cache()
    df.count()
    yield df
    df.unpersist()
