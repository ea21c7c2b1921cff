"""Retention analytics on Apache Spark: the same answers as the single-machine API, from any partitioning.

Install with ``pip install retention[spark]``. Functions take Spark
DataFrames and return Spark DataFrames; the Rust core runs on the executors
through Arrow batches (``mapInArrow``), and only the DataFrame API is used.
"""

from ._arrow import typed_errors
from ._models import fit, fit_gamma_gamma, health_scores, model_input, scores
from ._segments import cohort_cells, cohort_matrix, kaplan_meier, lifecycle, rfm

__all__ = [
    "typed_errors",
    # models and segments (sparkmod)
    "model_input", "fit", "fit_gamma_gamma", "scores", "health_scores",
    "rfm", "lifecycle", "cohort_cells", "cohort_matrix", "kaplan_meier",
]
