"""``lifelines`` names for right-censored survival analysis, on the Rust core.

``KaplanMeierFitter`` and ``NelsonAalenFitter`` take lifelines 0.30's
arguments, including case ``weights`` and ``entry`` (left-truncation) times;
``CoxPHFitter`` takes those that make sense without weights or strata; all and expose the same attributes (``survival_function_``,
``confidence_interval_``, ``median_survival_time_``, ``event_table``,
``cumulative_hazard_``, ``params_``, ``summary``…), with lifelines' column
names. Arguments that lifelines accepts but this layer does not support
(``strata``, ``interpolate=True``…) raise ``NotImplementedError`` rather
than being ignored.
"""

from ._cox import CoxPHFitter
from ._univariate import KaplanMeierFitter, NelsonAalenFitter

__all__ = ["KaplanMeierFitter", "NelsonAalenFitter", "CoxPHFitter"]
