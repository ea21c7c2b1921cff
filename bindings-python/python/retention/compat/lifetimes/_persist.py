"""``save_model`` / ``load_model`` of the lifetimes fitters: a versioned JSON
document of ours, not a pickle (lifetimes pickles the whole object with
``dill``; reading such a file would run code from it).

Format, version 1 (UTF-8 JSON, one object)::

    {
      "format": "retention.compat.lifetimes",
      "version": 1,
      "fitter": "BetaGeoFitter",            # the class name
      "penalizer_coef": 0.0,
      "params": {"r": 0.24, ...},           # params_, in the data's unit
      "covariance": [[...], ...] | null,    # variance_matrix_ (non-finite -> null)
      "scale": 0.0257 | null,               # lifetimes' _scale (continuous-time fitters)
      "negative_log_likelihood": ... | null,
      "log_likelihood": ... | null,
      "data": {"index": [...], "index_name": ..., "columns": {"frequency": [...], ...}}
              | {"placeholder": <value>},   # save_data=False: what load puts in `data`
      "generate_new_data": true | {"placeholder": <value>}
    }

Floats are written with Python's shortest round-trip repr, so a loaded
fitter's ``params_``, covariance and ``data`` equal the saved ones bit for
bit. The index and placeholders must be JSON values (numbers, strings,
``None``...). A later version may add keys; :func:`load` rejects other
formats, newer versions and files of another fitter class with
:class:`retention.errors.InvalidParameterError`.

Examples
--------
>>> import os, tempfile
>>> from retention.compat.lifetimes import BetaGeoFitter
>>> bgf = BetaGeoFitter()
>>> bgf.params_ = {"r": 0.24, "alpha": 4.41, "a": 0.79, "b": 2.43}
>>> path = os.path.join(tempfile.mkdtemp(), "bgf.json")
>>> bgf.save_model(path)
>>> new = BetaGeoFitter()
>>> new.load_model(path)
>>> new.params_.to_dict() == bgf.params_, new.data is None
(True, True)
"""

from __future__ import annotations

import json
import math
from typing import Any, Dict, Optional, Sequence

import numpy as np
import pandas as pd

from ...errors import InvalidParameterError

FORMAT = "retention.compat.lifetimes"
VERSION = 1


def _finite_or_none(v: Any) -> Optional[float]:
    if v is None:
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _plain(values: Any) -> list:
    return [v.item() if isinstance(v, np.generic) else v for v in values]


def _frame_to_json(df: pd.DataFrame) -> Dict[str, Any]:
    return {
        "index": _plain(df.index.tolist()),
        "index_name": df.index.name,
        "columns": {str(c): [_finite_or_none(v) for v in df[c].to_numpy(dtype=float)] for c in df.columns},
    }


def _frame_from_json(d: Dict[str, Any]) -> pd.DataFrame:
    cols = {c: np.array([np.nan if v is None else v for v in vals], dtype=float) for c, vals in d["columns"].items()}
    index = pd.Index(d["index"], name=d.get("index_name"))
    return pd.DataFrame(cols, index=index)


def save(
    fitter: Any, path: str, save_data: bool, save_generate_data_method: bool,
    values_to_save: Optional[Sequence[Any]],
) -> None:
    """Writes ``fitter`` to ``path`` (module docs)."""
    replace = list(values_to_save) if values_to_save is not None else []
    dropped = [name for name, keep in (("data", save_data), ("generate_new_data", save_generate_data_method)) if not keep]
    placeholders = dict(zip(dropped, replace + [None] * len(dropped)))
    params = getattr(fitter, "params_", None)
    cov = getattr(fitter, "_covariance", None)
    data = getattr(fitter, "data", None)
    doc: Dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "fitter": type(fitter).__name__,
        "penalizer_coef": float(fitter.penalizer_coef),
        "params": None if params is None else {str(k): float(v) for k, v in dict(params).items()},
        "covariance": None if cov is None else [[_finite_or_none(v) for v in row] for row in np.asarray(cov)],
        "scale": _finite_or_none(getattr(fitter, "_scale", None)),
        "negative_log_likelihood": _finite_or_none(getattr(fitter, "_negative_log_likelihood_", None)),
        "log_likelihood": _finite_or_none(getattr(fitter, "log_likelihood_", None)),
    }
    if "data" in placeholders:
        doc["data"] = {"placeholder": placeholders["data"]}
    else:
        doc["data"] = _frame_to_json(data) if isinstance(data, pd.DataFrame) else None
    if "generate_new_data" in placeholders:
        doc["generate_new_data"] = {"placeholder": placeholders["generate_new_data"]}
    else:
        doc["generate_new_data"] = hasattr(fitter, "generate_new_data")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, allow_nan=False)


def _reject(value: Any, reason: str) -> InvalidParameterError:
    return InvalidParameterError(f"`path`: {reason}", name="path", value=str(value), reason=reason)


def load(fitter: Any, path: str) -> None:
    """Reads a document written by :func:`save` into ``fitter`` (module docs)."""
    from . import BaseFitter, _TransactionFitter

    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _reject(path, f"not a saved retention.compat.lifetimes model ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _reject(path, "not a saved retention.compat.lifetimes model")
    if not isinstance(doc.get("version"), int) or doc["version"] > VERSION:
        raise _reject(path, f"format version {doc.get('version')!r} is newer than this reader's ({VERSION})")
    if doc.get("fitter") != type(fitter).__name__:
        raise _reject(path, f"holds a {doc.get('fitter')}, not a {type(fitter).__name__}")
    fitter.penalizer_coef = doc["penalizer_coef"]
    for attr in ("params_", "_covariance", "_scale", "_negative_log_likelihood_", "log_likelihood_", "_model",
                 "_model_params", "predict", "generate_new_data", "data"):
        fitter.__dict__.pop(attr, None)
    if doc.get("params") is not None:
        fitter.params_ = pd.Series(doc["params"], dtype=float)
        if type(fitter)._core_model is not BaseFitter._core_model:
            fitter._fitted()  # builds (and checks) the core model
    if doc.get("covariance") is not None:
        fitter._covariance = np.array([[np.nan if v is None else v for v in row] for row in doc["covariance"]], dtype=float)
    for key, attr in (("scale", "_scale"), ("negative_log_likelihood", "_negative_log_likelihood_"),
                      ("log_likelihood", "log_likelihood_")):
        if doc.get(key) is not None:
            setattr(fitter, attr, doc[key])
    data = doc.get("data")
    fitter.data = data["placeholder"] if isinstance(data, dict) and "placeholder" in data else (
        _frame_from_json(data) if isinstance(data, dict) else None
    )
    gen = doc.get("generate_new_data")
    if isinstance(gen, dict):
        fitter.generate_new_data = gen.get("placeholder")
    elif gen and hasattr(fitter, "_generate_new_data"):
        fitter.generate_new_data = fitter._generate_new_data
    if doc.get("params") is not None and isinstance(fitter, _TransactionFitter):
        fitter.predict = fitter.conditional_expected_number_of_purchases_up_to_time
