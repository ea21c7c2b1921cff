"""``lifelines`` names for right-censored survival analysis, on the Rust core.

``KaplanMeierFitter``, ``NelsonAalenFitter`` and ``CoxPHFitter`` take the
arguments of lifelines 0.30 that make sense without entry times, weights or
strata, and expose the same attributes (``survival_function_``,
``confidence_interval_``, ``median_survival_time_``, ``event_table``,
``cumulative_hazard_``, ``params_``, ``summary``…), with lifelines' column
names. Arguments that lifelines accepts but this layer does not support
(``entry``, ``weights``, ``strata``…) raise ``NotImplementedError`` rather
than being ignored.
"""

from ._cox import CoxPHFitter
from ._univariate import KaplanMeierFitter, NelsonAalenFitter

__all__ = ["KaplanMeierFitter", "NelsonAalenFitter", "CoxPHFitter"]
