"""Loyalty, the supervised churn model, value tiers and rule segments, series
metrics, referral and engagement, labelled cohorts and experiments, survival
input from a log: re-exported from one module per area.
"""

from __future__ import annotations

from ._loyalty import *  # noqa: F401,F403
from ._churn_model import *  # noqa: F401,F403
from ._value_segments import *  # noqa: F401,F403
from ._series import *  # noqa: F401,F403
from ._labelled import *  # noqa: F401,F403
from ._loyalty import __all__ as _loyalty_all
from ._churn_model import __all__ as _churn_model_all
from ._value_segments import __all__ as _value_segments_all
from ._series import __all__ as _series_all
from ._labelled import __all__ as _labelled_all

__all__ = list(_loyalty_all) + list(_churn_model_all) + list(_value_segments_all) + list(_series_all) + list(_labelled_all)
