import datetime as dt

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import retention

AS_OF = "2025-01-01"


def test_installed_from_wheel_not_source():
    assert "site-packages" in retention.__file__


def test_sample_fingerprint(sample_log):
    # The Rust core's pinned fingerprint of the seed-42 sample shop.
    assert len(sample_log) == 57_986
    s = sample_log.summaries().to_frame()
    assert round(s["revenue"].sum(), 2) == 271_923.76


def as_pa(x):
    if isinstance(x, pd.DataFrame):
        return pa.Table.from_pandas(x, preserve_index=False)
    if isinstance(x, pl.DataFrame):
        return x.to_arrow()
    return x


def test_pandas_polars_pyarrow_identical(sample_events_pa):
    frames = {
        "pyarrow": sample_events_pa,
        "pandas": sample_events_pa.to_pandas(),
        "polars": pl.from_arrow(sample_events_pa),
    }
    results = {}
    for name, frame in frames.items():
        log = retention.EventLog.from_frame(frame)
        assert log.library == name
        summ = log.summaries()
        outputs = [
            summ.to_frame(),
            retention.rfm(summ, AS_OF),
            retention.lifecycle(summ, AS_OF),
            retention.cohort_matrix(log, AS_OF)["retention"],
            retention.summary_data(summ, AS_OF),
        ]
        for out in outputs:
            assert type(out).__module__.split(".")[0] == name
        results[name] = [as_pa(o).to_pandas() for o in outputs]
    for name in ("pandas", "polars"):
        for got, want in zip(results[name], results["pyarrow"]):
            pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_dict_input_with_datetimes_and_str_ids():
    t = dt.datetime(2024, 3, 1, 12)
    log = retention.EventLog.from_dict(
        {
            "customer_id": ["ana", "ana", "ben"],
            "timestamp": [t, t + dt.timedelta(days=14), t],
            "amount": [40.0, 60.0, 25.0],
        }
    )
    assert len(log) == 3 and log.n_customers == 2
    s = log.summaries().to_frame()
    assert isinstance(s, pd.DataFrame)
    assert list(s["customer_id"]) == ["ana", "ben"]
    assert list(s["orders"]) == [2, 1]


def test_timestamp_units_and_time_zones_agree():
    base = pd.to_datetime(["2024-01-01 10:00", "2024-02-01 11:30"])
    frames = [
        pd.DataFrame({"customer_id": [1, 1], "timestamp": base.as_unit("ns"), "amount": [1.0, 2.0]}),
        pd.DataFrame({"customer_id": [1, 1], "timestamp": base.as_unit("s"), "amount": [1.0, 2.0]}),
        pd.DataFrame({"customer_id": [1, 1], "timestamp": base.tz_localize("UTC").tz_convert("Asia/Tokyo"), "amount": [1.0, 2.0]}),
        pd.DataFrame({"customer_id": [1, 1], "timestamp": ["2024-01-01T10:00:00Z", "2024-02-01T11:30:00Z"], "amount": [1.0, 2.0]}),
        {"customer_id": np.array([1, 1]), "timestamp": base.values.astype("datetime64[ms]"), "amount": np.array([1.0, 2.0])},
    ]
    texts = {retention.EventLog.from_frame(f).to_csv() for f in frames}
    assert len(texts) == 1


def test_custom_column_names_and_csv_round_trip(tmp_path, sample_log):
    df = pd.DataFrame({"who": [5, 6], "when": pd.to_datetime(["2024-01-01", "2024-01-02"]), "value": [3.0, 4.0]})
    log = retention.EventLog.from_frame(df, customer_id="who", timestamp="when", amount="value")
    assert len(log) == 2
    path = tmp_path / "events.csv"
    sample_log.to_csv(path)
    again = retention.EventLog.from_csv(path)
    assert again.to_csv() == sample_log.to_csv()


def test_summaries_merge_equals_whole(sample_events_pa):
    n = sample_events_pa.num_rows
    a = retention.EventLog.from_frame(sample_events_pa.slice(0, n // 3)).summaries()
    b = retention.EventLog.from_frame(sample_events_pa.slice(n // 3)).summaries()
    whole = retention.EventLog.from_frame(sample_events_pa).summaries()
    assert a.merge(b) == whole
    assert b.merge(a) == whole


def test_record_batch_and_multi_chunk_input(sample_events_pa):
    chunked = pa.Table.from_batches(sample_events_pa.to_batches(max_chunksize=1000))
    assert len(retention.EventLog.from_frame(chunked)) == 57_986
    batch = sample_events_pa.slice(0, 100).combine_chunks().to_batches()[0]
    assert len(retention.EventLog.from_frame(batch)) == 100


def test_duplicates_policy():
    t = pd.Timestamp("2024-01-01")
    df = pd.DataFrame({"customer_id": [1, 1], "timestamp": [t, t], "amount": [5.0, 5.0]})
    assert retention.EventLog.from_frame(df, duplicates="drop").duplicates_dropped == 1
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.EventLog.from_frame(df, duplicates="reject")
    assert e.value.issues[0]["row"] == 1 and e.value.issues[0]["kind"] == "duplicate"


def _large_frame(n=300_000, seed=5):
    # Above the size where ingestion splits work between threads; rows are in
    # random time order, ids dense, four event kinds with amounts only where
    # they apply (NaN elsewhere).
    rng = np.random.default_rng(seed)
    kinds = np.array(["order", "session", "email_open", "refund"])
    kind = kinds[rng.choice(4, size=n, p=[0.6, 0.3, 0.08, 0.02])]
    return pd.DataFrame({
        "customer_id": rng.integers(0, n // 10, size=n, dtype=np.int64),
        "timestamp": pd.to_datetime(rng.integers(1.67e18, 1.73e18, size=n, dtype=np.int64)).as_unit("us"),
        "event": kind,
        "amount": np.where((kind == "order") | (kind == "refund"), np.round(rng.gamma(2.0, 25.0, size=n), 2), np.nan),
    })


def test_large_input_is_the_same_from_every_library_and_layout():
    df = _large_frame()
    want = retention.EventLog.from_frame(pa.Table.from_pandas(df, preserve_index=False)).summaries()
    variants = {
        "pandas": df,
        "pandas, ns timestamps": df.assign(timestamp=df["timestamp"].dt.as_unit("ns")),
        "pandas, categorical events": df.assign(event=df["event"].astype("category")),
        "pandas, object events": df.assign(event=df["event"].astype(object)),
        "polars": pl.from_pandas(df),
        "pyarrow, many batches": pa.Table.from_batches(
            pa.Table.from_pandas(df, preserve_index=False).to_batches(max_chunksize=70_000)),
    }
    for name, frame in variants.items():
        log = retention.EventLog.from_frame(frame)
        assert len(log) == len(df), name
        assert log.summaries() == want, name


def test_large_input_errors_name_rows_in_any_part():
    df = _large_frame()
    late = len(df) - 7
    bad = df.copy()
    bad.loc[late, "event"] = "teleport"
    bad.loc[3, "timestamp"] = pd.NaT
    for frame in (bad, pl.from_pandas(bad)):
        with pytest.raises(retention.InvalidRowsError) as e:
            retention.EventLog.from_frame(frame)
        found = {(i["row"], i["field"], i["kind"]) for i in e.value.issues}
        assert found == {(3, "timestamp", "missing"), (late, "event", "unknown_kind")}


def test_event_names_that_differ_only_past_eight_bytes_are_told_apart():
    # Padded names share their first bytes with a valid one; each must be
    # parsed on its own (the second is unknown), whatever the column layout.
    t = pd.Timestamp("2024-01-01")
    df = pd.DataFrame({
        "customer_id": [1, 2, 3],
        "timestamp": [t, t, t],
        "event": ["        order", "         ordej", "         8"],
        "amount": [5.0, 5.0, np.nan],
    })
    for frame in (df, pl.from_pandas(df), df.assign(event=df["event"].astype("category"))):
        with pytest.raises(retention.InvalidRowsError) as e:
            retention.EventLog.from_frame(frame)
        found = {(i["row"], i["field"], i["kind"]) for i in e.value.issues}
        assert found == {(1, "event", "unknown_kind"), (2, "event", "unknown_kind")}
