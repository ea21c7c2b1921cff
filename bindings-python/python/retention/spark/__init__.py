"""Retention analytics on Apache Spark: the same answers as the single-machine API, from any partitioning.

Install with ``pip install retention[spark]``. Functions take Spark
DataFrames and return Spark DataFrames; the Rust core runs on the executors
through Arrow batches (``mapInArrow``), and only the DataFrame API is used.
"""

from ._arrow import typed_errors

__all__ = ["typed_errors"]
