"""KaplanMeierFitter and NelsonAalenFitter with weights, entry times and a
timeline, against lifelines 0.30 itself on its own datasets (1e-6 relative)."""

import warnings

import numpy as np
import pytest

from conftest import reference

pytestmark = pytest.mark.reference

REL = 1e-6


def close(actual, expected, what):
    a = np.asarray(actual, dtype=float)
    b = np.asarray(expected, dtype=float)
    assert a.shape == b.shape, what
    same_inf = (np.isinf(a) & np.isinf(b) & (np.sign(a) == np.sign(b))) | (np.isnan(a) & np.isnan(b))
    err = np.abs(a - b) / np.maximum(np.abs(b), 1e-300)
    ok = same_inf | (np.abs(a - b) <= REL * np.maximum(np.abs(b), 1e-12)) | np.isclose(a, b, rtol=REL, atol=1e-14)
    assert ok.all(), f"{what}: worst {np.nanmax(np.where(ok, 0, err))}"


def cases():
    reference("lifelines")
    from lifelines.datasets import load_larynx, load_rossi, load_waltons

    w = load_waltons()
    rossi = load_rossi()
    larynx = load_larynx()
    rng = np.random.default_rng(5)
    whole = rng.integers(1, 4, size=len(w)).astype(float)
    frac = np.round(rng.uniform(0.2, 3.0, size=len(rossi)), 3)
    entry = np.floor(rng.uniform(0, 1, size=len(larynx)) * larynx["time"].to_numpy() * 0.5 * 10) / 10
    return [
        ("waltons", w["T"], w["E"], {}),
        ("waltons whole weights", w["T"], w["E"], {"weights": whole}),
        ("rossi fractional weights", rossi["week"], rossi["arrest"], {"weights": frac}),
        ("larynx entry", larynx["time"], larynx["death"], {"entry": entry}),
        ("larynx entry weights", larynx["time"], larynx["death"],
         {"entry": entry, "weights": np.tile([1.0, 2.0], len(larynx))[: len(larynx)]}),
        ("waltons timeline", w["T"], w["E"], {"timeline": np.linspace(0, 80, 41)}),
        ("rossi (n, 1) arrays", rossi[["week"]].to_numpy(), rossi[["arrest"]].to_numpy(), {}),
        # Negative durations: the origin is the earliest one (lifelines too).
        ("waltons shifted negative", w["T"] - 40.0, w["E"], {}),
        ("rossi partly negative, whole weights", rossi["week"] - 20.5, rossi["arrest"],
         {"weights": np.tile([1.0, 3.0], len(rossi))[: len(rossi)]}),
    ]


@pytest.mark.parametrize("case", range(9))
def test_kaplan_meier_matches_lifelines(case):
    lifelines = reference("lifelines")
    from retention.compat.lifelines import KaplanMeierFitter

    name, T, E, kw = cases()[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = lifelines.KaplanMeierFitter().fit(T, E, label="S", **kw)
        ref_pct = [ref.percentile(p) for p in (0.9, 0.75, 0.5, 0.3)]
        ref_cond = ref.conditional_time_to_event_
    with warnings.catch_warnings():
        # lifelines' StatisticalWarning for fractional weights, checked in test_compat_lifelines.py
        warnings.simplefilter("ignore")
        ours = KaplanMeierFitter().fit(T, E, label="S", **kw)
    assert list(ours.survival_function_.columns) == ["S"]
    assert list(ours.confidence_interval_.columns) == list(ref.confidence_interval_.columns)
    assert ours.survival_function_.index.name == "timeline"
    close(ours.survival_function_.index, ref.survival_function_.index, f"{name} timeline")
    close(ours.survival_function_, ref.survival_function_, f"{name} survival")
    close(ours.confidence_interval_, ref.confidence_interval_, f"{name} ci")
    close(ours.cumulative_density_, ref.cumulative_density_, f"{name} cdf")
    close(ours.confidence_interval_cumulative_density_, ref.confidence_interval_cumulative_density_, f"{name} cdf ci")
    assert list(ours.event_table.columns) == list(ref.event_table.columns)
    close(ours.event_table.index, ref.event_table.index, f"{name} event_at")
    # lifelines truncates fractional `censored` weights to whole numbers in
    # its event table (display only); ours keeps the weight.
    cols = [c for c in ref.event_table.columns if c != "censored" or "fractional" not in name]
    close(ours.event_table[cols], ref.event_table[cols], f"{name} event table")
    close([ours.percentile(p) for p in (0.9, 0.75, 0.5, 0.3)], ref_pct, f"{name} percentiles")
    close(ours.median_survival_time_, ref.median_survival_time_, f"{name} median")
    assert list(ours.conditional_time_to_event_.columns) == list(ref_cond.columns)
    close(ours.conditional_time_to_event_, ref_cond, f"{name} conditional")
    at = [0.0, 3.5, 10.0, 1e4]
    close(ours.survival_function_at_times(at), ref.survival_function_at_times(at), f"{name} at times")
    close(ours.cumulative_density_at_times(at), ref.cumulative_density_at_times(at), f"{name} cdf at times")


@pytest.mark.parametrize("case", range(9))
@pytest.mark.parametrize("smoothing", [True, False])
def test_nelson_aalen_matches_lifelines(case, smoothing):
    lifelines = reference("lifelines")
    from retention.compat.lifelines import NelsonAalenFitter

    name, T, E, kw = cases()[case]
    if smoothing and "fractional" in name:
        pytest.skip("lifelines cannot smooth ties with fractional weights")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = lifelines.NelsonAalenFitter(nelson_aalen_smoothing=smoothing).fit(T, E, **kw)
        ref_smooth = ref.smoothed_hazard_(4.0)
        ref_smooth_ci = ref.smoothed_hazard_confidence_intervals_(4.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = NelsonAalenFitter(nelson_aalen_smoothing=smoothing).fit(T, E, **kw)
    assert list(ours.cumulative_hazard_.columns) == ["NA_estimate"]
    close(ours.cumulative_hazard_, ref.cumulative_hazard_, f"{name} H")
    close(ours.confidence_interval_, ref.confidence_interval_, f"{name} ci")
    close(ours.confidence_interval_cumulative_hazard_, ref.confidence_interval_cumulative_hazard_, f"{name} ci")
    cols = [c for c in ref.event_table.columns if c != "censored" or "fractional" not in name]
    close(ours.event_table[cols], ref.event_table[cols], f"{name} event table")
    assert list(ours.smoothed_hazard_(4.0).columns) == list(ref_smooth.columns)
    close(ours.smoothed_hazard_(4.0), ref_smooth, f"{name} smoothed")
    ci = ours.smoothed_hazard_confidence_intervals_(4.0)
    assert list(ci.columns) == list(ref_smooth_ci.columns)
    finite = np.isfinite(ref_smooth_ci.to_numpy())
    close(ci.to_numpy()[finite], ref_smooth_ci.to_numpy()[finite], f"{name} smoothed ci")
    at = [0.0, 3.5, 10.0, 1e4]
    close(ours.cumulative_hazard_at_times(at), ref.cumulative_hazard_at_times(at), f"{name} H at times")


def test_subtract_and_divide_match_lifelines():
    lifelines = reference("lifelines")
    from lifelines.datasets import load_waltons
    from retention.compat.lifelines import KaplanMeierFitter

    w = load_waltons()
    a, b = w[w["group"] == "control"], w[w["group"] != "control"]
    ra = lifelines.KaplanMeierFitter().fit(a["T"], a["E"])
    rb = lifelines.KaplanMeierFitter().fit(b["T"], b["E"])
    oa = KaplanMeierFitter().fit(a["T"], a["E"])
    ob = KaplanMeierFitter().fit(b["T"], b["E"])
    for op in ("subtract", "divide"):
        ref, ours = getattr(ra, op)(rb), getattr(oa, op)(ob)
        assert list(ours.columns) == list(ref.columns)
        close(ours.index, ref.index, op)
        close(ours, ref, op)
