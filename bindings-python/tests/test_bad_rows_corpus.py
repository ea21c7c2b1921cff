"""The shared bad-row corpus (``retention-core/tests/corpus/bad_rows.json``)
through the Python door: the rows as a pandas DataFrame. Rust (through CSV
text) and the npm package (through event objects) read the same file and
must report the same issues: row, field, kind and value."""

import json
from pathlib import Path

import pandas as pd
import pytest

import retention

CORPUS = Path(__file__).resolve().parents[2] / "retention-core" / "tests" / "corpus" / "bad_rows.json"


def test_the_corpus_gives_the_issues_every_door_gives():
    corpus = json.loads(CORPUS.read_text())
    frame = pd.DataFrame(corpus["rows"])
    with pytest.raises(retention.InvalidRowsError) as e:
        retention.EventLog.from_frame(frame)
    got = [{k: i[k] for k in ("row", "field", "kind", "value")} for i in e.value.issues]
    assert got == corpus["issues"]
