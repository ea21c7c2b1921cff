"""``lifelines`` names for survival analysis, on the Rust core.

``KaplanMeierFitter``, ``NelsonAalenFitter`` and ``CoxPHFitter`` take the
arguments of lifelines 0.30 for right-censored data (the univariate fitters
with case ``weights`` and ``entry`` (left-truncation) times; ``CoxPHFitter``
with strata, case weights, robust and clustered errors);
``KaplanMeierFitter`` also fits left-censored data (``fit_left_censoring``)
and interval-censored data (``fit_interval_censoring``, Turnbull's NPMLE),
and ``AalenJohansenFitter`` estimates the cumulative incidence of competing
risks. They expose the same
attributes (``survival_function_``, ``confidence_interval_``,
``median_survival_time_``, ``event_table``, ``cumulative_hazard_``,
``params_``, ``summary``, ``baseline_survival_``…), with lifelines' column
names. Arguments that lifelines accepts but this layer does not support
(``formula``, spline baselines…) raise
``NotImplementedError`` rather than being ignored.
"""

from ._aalen_johansen import AalenJohansenFitter
from ._common import NonFiniteRowsError
from ._cox import CoxPHFitter
from ._univariate import KaplanMeierFitter, NelsonAalenFitter

__all__ = ["KaplanMeierFitter", "NelsonAalenFitter", "CoxPHFitter", "AalenJohansenFitter", "NonFiniteRowsError"]
