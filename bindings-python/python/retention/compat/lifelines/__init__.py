"""``lifelines`` names for survival analysis, on the Rust core.

``KaplanMeierFitter``, ``NelsonAalenFitter``, ``CoxPHFitter``,
``CoxTimeVaryingFitter``, the parametric fitters (``ExponentialFitter``,
``WeibullFitter``, ``LogNormalFitter``, ``LogLogisticFitter``,
``PiecewiseExponentialFitter``) and the AFT fitters (``WeibullAFTFitter``,
``LogNormalAFTFitter``, ``LogLogisticAFTFitter``) take the
arguments of lifelines 0.30 for right-censored data (the univariate fitters
with case ``weights`` and ``entry`` (left-truncation) times; ``CoxPHFitter``
with strata, case weights, entry times, robust and clustered errors, and the
parametric piecewise and spline baselines of ``baseline_estimation_method``;
``CoxTimeVaryingFitter`` on ``(start, stop]`` rows);
``KaplanMeierFitter`` also fits left-censored data (``fit_left_censoring``)
and interval-censored data (``fit_interval_censoring``, Turnbull's NPMLE),
and ``AalenJohansenFitter`` estimates the cumulative incidence of competing
risks. They expose the same
attributes (``survival_function_``, ``confidence_interval_``,
``median_survival_time_``, ``event_table``, ``cumulative_hazard_``,
``params_``, ``summary``, ``baseline_survival_``…), with lifelines' column
names. Arguments that lifelines accepts but this layer does not support
(spline ``knots``…) raise
``NotImplementedError`` rather than being ignored.
"""

from ._aalen_johansen import AalenJohansenFitter
from ._aft import LogLogisticAFTFitter, LogNormalAFTFitter, WeibullAFTFitter
from ._common import NonFiniteRowsError
from ._cox import CoxPHFitter
from ._cox_tv import CoxTimeVaryingFitter
from ._parametric import (
    ExponentialFitter,
    LogLogisticFitter,
    LogNormalFitter,
    PiecewiseExponentialFitter,
    WeibullFitter,
)
from ._univariate import KaplanMeierFitter, NelsonAalenFitter

__all__ = [
    "KaplanMeierFitter",
    "NelsonAalenFitter",
    "CoxPHFitter",
    "CoxTimeVaryingFitter",
    "AalenJohansenFitter",
    "ExponentialFitter",
    "WeibullFitter",
    "LogNormalFitter",
    "LogLogisticFitter",
    "PiecewiseExponentialFitter",
    "WeibullAFTFitter",
    "LogNormalAFTFitter",
    "LogLogisticAFTFitter",
    "NonFiniteRowsError",
]
