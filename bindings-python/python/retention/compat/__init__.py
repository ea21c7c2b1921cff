"""Drop-in names for users of ``lifetimes`` 0.11.3 and ``lifelines``.

Switch a notebook by changing its import lines::

    from retention.compat.lifetimes import BetaGeoFitter, GammaGammaFitter
    from retention.compat.lifetimes.utils import summary_data_from_transaction_data
    from retention.compat.lifelines import KaplanMeierFitter, CoxPHFitter
    from retention.compat.lifelines.statistics import logrank_test

The computations run in the Rust core; these modules only arrange pandas
inputs and outputs the way the original libraries do.
"""
