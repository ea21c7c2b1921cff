"""Time lifelines on the workloads of benches/benches/survival.rs and print
the ratios against the Rust (criterion) estimates.

Usage, from the repository root:

    cargo bench -p retention-benches --bench survival
    python benches/compare_survival.py [--criterion-dir target/criterion] [--repeat 3]

Needs lifelines, pandas and numpy (e.g. a virtualenv outside the repository:
``python3 -m venv /work/venv-ref && /work/venv-ref/bin/pip install lifelines``).

The data have the same shape and distributions as the Rust bench (numpy,
fixed seed; not the same numbers): 1,000,000 durations for Kaplan-Meier (in
whole days, and continuous), 100,000 rows x 7 covariates for the Cox model
(Efron ties; lifelines has no Breslow option), 100,000 rows for the
concordance index. Each lifelines call is timed ``--repeat`` times and the
median is reported; the Rust figure is criterion's median estimate from
``<criterion-dir>/survival/<bench>/new/estimates.json`` (without it only the
lifelines times are printed). Medians on both sides keep the ratio fair when
the machine is shared.
"""

import argparse
import json
import os
import time
import warnings

import numpy as np
import pandas as pd
import lifelines
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.utils import concordance_index

TARGETS = {
    "kaplan_meier_1m_days": 10.0,
    "kaplan_meier_1m_continuous": 10.0,
    "cox_efron_100k_x7": 10.0,
    "concordance_100k": 20.0,
}


def durations(rng, n, mean, whole_days):
    event = rng.exponential(mean, size=n)
    censor = 60.0 * rng.uniform(size=n)
    t = np.minimum(event, censor)
    return (np.ceil(t) if whole_days else t), (event <= censor)


def median_of(repeat, fn):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def rust_seconds(criterion_dir, name):
    path = os.path.join(criterion_dir, "survival", name, "new", "estimates.json")
    try:
        with open(path) as fh:
            return json.load(fh)["median"]["point_estimate"] * 1e-9
    except (OSError, KeyError, ValueError):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--criterion-dir", default=os.path.join("target", "criterion"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(7)
    timings = {}

    for name, whole_days in (("kaplan_meier_1m_days", True), ("kaplan_meier_1m_continuous", False)):
        d, e = durations(rng, 1_000_000, 20.0, whole_days)
        timings[name] = median_of(args.repeat, lambda: KaplanMeierFitter().fit(d, e))

    n = 100_000
    x = np.column_stack([rng.normal(size=(n, 5)), (rng.uniform(size=(n, 2)) < 0.4).astype(float)])
    coef = np.array([0.4, -0.3, 0.2, 0.0, 0.1, 0.5, -0.25])
    event = rng.exponential(20.0, size=n) * np.exp(-(x @ coef))
    censor = 60.0 * rng.uniform(size=n)
    df = pd.DataFrame(x, columns=["x%d" % i for i in range(7)])
    df["T"] = np.ceil(np.minimum(event, censor))
    df["E"] = (event <= censor).astype(int)
    timings["cox_efron_100k_x7"] = median_of(
        args.repeat, lambda: CoxPHFitter().fit(df, "T", "E").concordance_index_
    )

    t, e = durations(rng, n, 20.0, True)
    scores = t + 10.0 * rng.normal(size=n)
    timings["concordance_100k"] = median_of(args.repeat, lambda: concordance_index(t, scores, e))

    print("lifelines %s, numpy %s, pandas %s" % (lifelines.__version__, np.__version__, pd.__version__))
    print("%-28s %14s %14s %10s %8s" % ("workload", "lifelines [s]", "rust [s]", "ratio", "target"))
    for name, py in timings.items():
        rs = rust_seconds(args.criterion_dir, name)
        target = TARGETS[name]
        if rs is None:
            print("%-28s %14.4f %14s %10s %7.0fx" % (name, py, "n/a", "n/a", target))
        else:
            ratio = py / rs
            flag = "" if ratio >= target else "  (below target)"
            print("%-28s %14.4f %14.6f %9.1fx %7.0fx%s" % (name, py, rs, ratio, target, flag))


if __name__ == "__main__":
    main()
