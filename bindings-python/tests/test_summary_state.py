"""Summaries.to_arrow / from_arrow: the full mergeable state, exact, on one machine."""

import decimal

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import retention


@pytest.fixture(scope="module")
def shop():
    table = retention.sample_events(customers=300, library="pyarrow")
    return table, retention.EventLog.from_frame(table).summaries()


def test_round_trip_is_exact(shop):
    _, s = shop
    state = s.to_arrow()
    assert retention.Summaries.from_arrow(state) == s
    # Through Parquet-like storage: pandas and back keeps every value.
    assert retention.Summaries.from_arrow(state.to_pandas()) == s
    assert retention.Summaries.from_arrow(state.to_batches()[0]) == s


def test_concatenation_of_split_states_is_the_whole(shop):
    """Any split of the events: concatenated partial states read as the whole summary."""
    table, whole = shop
    n = table.num_rows
    parts = [table.slice(0, n // 3), table.slice(n // 3, n // 3), table.slice(2 * (n // 3))]
    states = [retention.EventLog.from_frame(p).summaries().to_arrow() for p in parts]
    assert retention.Summaries.from_arrow(pa.concat_tables(states)) == whole
    # And equals the core's merge.
    merged = retention.Summaries.from_arrow(states[0])
    for st in states[1:]:
        merged = merged.merge(retention.Summaries.from_arrow(st))
    assert merged == whole


def test_money_is_exact_decimal_and_matches_the_readable_table(shop):
    _, s = shop
    state = s.to_arrow()
    frame = s.to_frame("pyarrow")
    assert state.schema.field("revenue").type == pa.decimal128(38, 6)
    # The readable table's float revenue is the decimal rounded to a double.
    got = [float(x) for x in state.column("revenue").to_pylist()]
    assert got == frame.column("revenue").to_pylist()
    # Order days add up to the orders and revenue of each customer.
    days = state.column("order_days").to_pylist()
    for orders, revenue, ds in zip(state.column("orders").to_pylist(), state.column("revenue").to_pylist(), days):
        assert sum(d["orders"] for d in ds) == orders
        assert sum((d["revenue"] for d in ds), decimal.Decimal(0)) == revenue


def test_hand_computed_state():
    log = retention.EventLog.from_dict(
        {
            "customer_id": [7, 7, 7, 7, 7],
            "timestamp": ["2024-03-01T10:00:00Z", "2024-03-01T18:00:00Z", "2024-03-04", "2024-03-02", "2024-03-03"],
            "event": ["order", "order", "order", "survey", "support_ticket"],
            "amount": [10.1, 0.2, 5.0, None, None],
            "score": [None, None, None, 9.0, None],
            "detail": [None, None, None, "nps", "critical"],
            "resolved": [None, None, None, None, False],
        }
    )
    row = log.summaries().to_arrow().to_pylist()[0]
    assert row["orders"] == 3
    assert row["revenue"] == decimal.Decimal("15.300000")
    assert [(d["day"].isoformat(), d["orders"], d["revenue"]) for d in row["order_days"]] == [
        ("2024-03-01", 2, decimal.Decimal("10.300000")),
        ("2024-03-04", 1, decimal.Decimal("5.000000")),
    ]
    assert row["survey_nps_score"] == 9.0 and row["survey_csat_score"] is None
    assert row["tickets_opened_critical"] == 1 and row["sessions"] == 0
    assert row["first_event"].isoformat() == "2024-03-02T00:00:00+00:00"


def test_text_ids(shop):
    _, s = shop
    state = s.to_arrow(text_ids=True)
    assert state.schema.field("customer_id").type == pa.string()
    mixed = retention.EventLog.from_dict(
        {"customer_id": ["a", "b"], "timestamp": ["2024-01-01", "2024-01-02"], "amount": [1.0, 2.0]}
    ).summaries()
    assert mixed.to_arrow().schema.field("customer_id").type == pa.string()
    assert retention.Summaries.from_arrow(mixed.to_arrow()) == mixed


def _set(state, name, values):
    i = state.schema.get_field_index(name)
    return state.set_column(i, state.schema.field(i), pa.array(values, state.schema.field(i).type))


def test_inconsistent_states_name_row_field_value():
    s = retention.EventLog.from_dict(
        {
            "customer_id": [1, 2],
            "timestamp": ["2024-01-05", "2024-01-06"],
            "event": ["order", "session"],
            "amount": [5.0, None],
        }
    ).summaries()
    state = s.to_arrow()
    bad = _set(state, "orders", [-1, 4])
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.Summaries.from_arrow(bad)
    got = [(i["row"], i["field"], i["value"], i["kind"]) for i in e.value.issues]
    assert got == [(0, "orders", "-1", "negative")]
    # Customer 2 has a session only: four orders without a first order or order days.
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.Summaries.from_arrow(_set(state, "orders", [1, 4]))
    got = [(i["row"], i["field"], i["value"], i["kind"]) for i in e.value.issues]
    assert got == [(1, "first_order", "", "missing"), (1, "order_days", "0 days, 0 orders", "inconsistent")]
    bad = _set(state, "revenue", [decimal.Decimal("5.000001"), decimal.Decimal(0)])
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.Summaries.from_arrow(bad)
    assert [(i["row"], i["field"], i["kind"]) for i in e.value.issues] == [(0, "order_days", "inconsistent")]
    with pytest.raises(retention.InvalidParameterError):
        retention.Summaries.from_arrow(state.drop_columns(["mrr"]))
    with pytest.raises(TypeError, match="mrr"):
        retention.Summaries.from_arrow(_set(state.drop_columns(["mrr"]), "orders", [1, 0]).append_column("mrr", pa.array(["x", "y"])))


def test_null_money_is_missing():
    s = retention.EventLog.from_dict({"customer_id": [1], "timestamp": ["2024-01-05"], "amount": [5.0]}).summaries()
    state = s.to_arrow()
    i = state.schema.get_field_index("refunds")
    bad = state.set_column(i, "refunds", pa.array([None], pa.decimal128(38, 6)))
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.Summaries.from_arrow(bad)
    assert [(i["row"], i["field"], i["kind"]) for i in e.value.issues] == [(0, "refunds", "missing")]
    assert pc.sum(pc.is_null(bad.column("refunds"))).as_py() == 1
