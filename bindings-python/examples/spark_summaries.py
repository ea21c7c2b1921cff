# %% [markdown]
# # Customer summaries on Apache Spark
#
# Notebook-style example (cells separated by `# %%`; open it in Jupyter with
# jupytext, VS Code or PyCharm, or run it with `python spark_summaries.py`).
# It runs on `local[*]`; on a cluster, the same code runs unchanged: only the
# session (and reading the events from your tables) differs.
#
# Needs `pip install retention[spark]` and a Java 17 runtime.

# %%
import datetime as dt
import os
import sys
import tempfile

import pyarrow as pa
import pyarrow.compute as pc
from pyspark.sql import SparkSession

import retention
import retention.spark as rs

os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers need retention installed
spark = (
    SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
    .config("spark.ui.enabled", "false")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)

# %% [markdown]
# ## Events
#
# One row per event with the columns of `retention.EventLog.from_frame`
# (`customer_id`, `timestamp`, `event`, `amount`, …). Here: the seeded sample
# shop; in production, `spark.read.table("events")`.

# %%
table = retention.sample_events(customers=500, library="pyarrow")
events = spark.createDataFrame(table)
print(events.count(), "events")

# %% [markdown]
# ## Summaries: one row per customer, exact
#
# The Rust core runs on the executors. Money is `DECIMAL(38, 6)`.

# %%
state = rs.summaries(events)
state.select("customer_id", "orders", "revenue", "refunds", "sessions", "survey_nps_score", "mrr").orderBy(
    "customer_id"
).show(5)

# The same as on one machine, to the micro-unit:
on_one_machine = retention.EventLog.from_frame(table).summaries()
assert retention.Summaries.from_arrow(state.toArrow()) == on_one_machine

# %% [markdown]
# ## The daily update: stored state + today's events
#
# Store the state (Parquet, Delta…), then merge each new day's summaries into
# it. The merge uses Spark's own exact aggregates; the result equals
# summarising every event at once.

# %%
ts = table.column("timestamp")
cut = pa.scalar(dt.datetime(2024, 12, 31, tzinfo=dt.timezone.utc), pa.timestamp("us", tz="UTC"))
history = spark.createDataFrame(table.filter(pc.less(ts, cut)))
today = spark.createDataFrame(table.filter(pc.greater_equal(ts, cut)))

with tempfile.TemporaryDirectory() as tmp:
    rs.summaries(history).write.parquet(f"{tmp}/state")  # yesterday's job
    stored = spark.read.parquet(f"{tmp}/state")
    updated = rs.merge_summaries(stored, rs.summaries(today))  # today's job
    assert retention.Summaries.from_arrow(updated.toArrow()) == on_one_machine
    print("incremental update == one-shot summary")

# %% [markdown]
# ## Back on one machine
#
# The state reads into `retention.Summaries` for every single-machine function
# (RFM, lifecycle, CLV…).

# %%
summaries = retention.Summaries.from_arrow(state.toArrow())
print(retention.rfm(summaries, "2025-01-01").head())

# %% [markdown]
# ## Bad rows fail the job with the core's typed error
#
# Nothing is dropped silently. `typed_errors()` turns the executor's failure
# back into `retention.InvalidRowsError` naming the row, field and value.

# %%
bad = spark.createDataFrame(
    [(1, "2024-01-05", 10.0), (2, "2024-01-06", -3.0)], "customer_id long, timestamp string, amount double"
)
try:
    with rs.typed_errors():
        rs.summaries(bad).collect()
except retention.InvalidRowsError as e:
    issue = e.issues[0]
    print(issue["customer_id"], issue["field"], issue["value"], issue["kind"])  # 2 amount -3 negative
