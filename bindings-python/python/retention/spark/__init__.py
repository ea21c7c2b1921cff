"""Retention analytics on Apache Spark: the same answers as the single-machine API, from any partitioning.

Install with ``pip install retention[spark]`` (PySpark ≥ 4.0, a Java 17
runtime). Functions take Spark DataFrames and return Spark DataFrames; the
Rust core runs on the executors through Arrow batches (``mapInArrow``), and
only the DataFrame API is used (no RDD, no ``SparkContext``), so the same code
runs on ``local[*]``, on a cluster, and on shared or serverless compute.

The per-customer state (:func:`summaries`) is the full mergeable summary of
the core, with money as ``DECIMAL(38, 6)``: partial states computed on any
partitioning, or on yesterday's and today's events, combine with
:func:`merge_summaries` into exactly the single-machine answer.
:meth:`retention.Summaries.to_arrow` / :meth:`retention.Summaries.from_arrow`
read and write the same schema on one machine.

Core errors raised on the executors (bad event rows) fail the job; wrap the
action in :func:`typed_errors` to get the same ``retention.errors`` class as
the single-machine API.

Examples
--------
>>> import retention
>>> from pyspark.sql import SparkSession
>>> import retention.spark as rs
>>> spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
>>> events = spark.createDataFrame(retention.sample_events(customers=50, library="pyarrow"))
>>> state = rs.summaries(events.repartition(3))
>>> on_one_machine = retention.EventLog.sample(customers=50).summaries()
>>> retention.Summaries.from_arrow(state.toArrow()) == on_one_machine
True
"""

from ._arrow import typed_errors
from ._summaries import merge_summaries, summaries, summary_schema

__all__ = ["summaries", "merge_summaries", "summary_schema", "typed_errors"]

# --- models and segments (sparkmod): add imports and extend __all__ below ---
from ._models import fit, fit_gamma_gamma, health_scores, model_input, scores  # noqa: E402
from ._segments import cohort_cells, cohort_matrix, kaplan_meier, lifecycle, rfm  # noqa: E402

__all__ += [
    "model_input", "fit", "fit_gamma_gamma", "scores", "health_scores",
    "rfm", "lifecycle", "cohort_cells", "cohort_matrix", "kaplan_meier",
]
# --- end models and segments ---
