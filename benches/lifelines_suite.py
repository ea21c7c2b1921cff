"""Measure how much of lifelines' own test suite passes when the names that
``retention.compat.lifelines`` provides are swapped in for lifelines' ones.

The promise of ``retention.compat.lifelines`` is that a lifelines notebook
runs unchanged once its import line points at us. This script puts a number
on that promise: it takes lifelines' tests from a lifelines source checkout
(or its git mirror), keeps those that use one of the six names we offer,
rewrites their import lines to take those names from us, runs them with
pytest and prints how many pass, plus the failure reasons grouped.

It is a developer tool, not part of CI and not a test of ours. Nothing of
lifelines is stored in this repository: the tests are extracted into a
temporary directory at run time and deleted afterwards.

Usage, from the repository root, in an environment with ``retention``,
lifelines, pandas, numpy and pytest (``.venv-ref``, built by
``bash scripts/test-python.sh``)::

    nice -n 10 .venv-ref/bin/python benches/lifelines_suite.py \\
        [LIFELINES_SRC] [--ref v0.30.3] [--impl retention|lifelines] \\
        [--json out.json] [--top 40] [--with-test-utils] [--list] [--keep]

``LIFELINES_SRC`` is either a git directory (bare or not; default: the
mirror at /work/.mirror/CamDavidsonPilon+lifelines/repo) or a work tree
holding ``lifelines/tests``. ``--ref`` is the tag or commit to take the tests
from; by default ``v<installed lifelines version>``, or, if the mirror has no
such tag, the newest ``v*`` tag not newer than it (the script then reports how
many of lifelines' library files differ between that tag and the installed
copy, so one can tell whether the tests match the code under test).
``--impl lifelines`` runs the same selection without rebinding anything: the
reference run that gives the denominator and shows which tests fail on
lifelines itself. ``--json`` writes every test's outcome and message.

Selection rule (computed from the test files' syntax trees, no list of
names kept here):

* files: ``lifelines/tests/test_estimation.py``,
  ``lifelines/tests/test_statistics.py`` and
  ``lifelines/tests/utils/test_concordance.py`` (plus
  ``lifelines/tests/utils/test_utils.py`` with ``--with-test-utils``);
* a test function (module level or a method of a ``Test*`` class) is selected
  when it uses one of the six names ``KaplanMeierFitter``,
  ``NelsonAalenFitter``, ``CoxPHFitter``, ``logrank_test``,
  ``multivariate_logrank_test``, ``concordance_index`` -- under whatever local
  name the file imports it (``fast_cindex``), or as an attribute
  (``stats.logrank_test``) -- in its body, in its decorators
  (``parametrize`` lists), or in a fixture it requests, followed through
  fixtures requesting fixtures (class fixtures shadow module ones). Every
  collected parametrisation of a selected function is counted.

  This takes all of TestKaplanMeierFitter, TestNelsonAalenFitter,
  TestCoxPHFitter and TestCoxPHFitterPieces, the TestUnivariateFitters tests
  (their fixture lists KM and NA together with lifelines' parametric
  fitters), the TestRegressionFitters tests whose model lists hold
  CoxPHFitter, the few tests of other classes that compare against KM or
  Cox, the log-rank tests of test_statistics.py and its
  ``proportional_hazard_test`` tests (which fit a CoxPHFitter), and
  test_concordance.py.

* tests whose body imports a package that is not installed (``joblib``, for
  the ``test_joblib_serialization`` tests) are counted and reported as
  skipped, with the package named, in both runs. ``flaky`` (a decorator the
  tests use to rerun random tests) is used if installed; otherwise the
  generated conftest supplies a small stand-in with the same defaults
  (``max_runs=2, min_passes=1``) that reruns the test function in place
  (fixture values are not rebuilt between runs).

``--scope all`` selects, instead, the tests that use any name we offer
(see below): the count a user of every class we provide would see.

How the names are rebound: the test files are copied into the temporary
directory and, in the copy only, each ``from lifelines[.utils[.concordance]
|.statistics|.exceptions] import ...`` statement (at any depth) that brings
a name ``retention.compat.lifelines`` offers (the ``__all__`` of its module
of the same place: ``retention.compat.lifelines[.statistics|.utils
|.exceptions]``, read at run time) is rewritten so that those names, under
the same local alias, come from us while the other names of the statement
still come from lifelines -- as a notebook whose import lines alone were
changed. ``from lifelines import statistics as stats`` becomes an import of
a generated module that is lifelines.statistics except for the names our
``statistics`` offers. Line numbers are kept.
lifelines itself is not patched: its datasets (``load_rossi``...), its other
fitters and its internal uses of these names stay lifelines' own, as in a
user's notebook whose import line alone was changed.

Results are read from a small pytest plugin (in the generated conftest) that
records each test's outcome and its crash message. The headline counts the
selected tests that are not marked ``xfail`` by lifelines and how many of
them pass; xfail-marked tests are shown apart as xfailed / xpassed. Failure
reasons (failures and fixture errors) are grouped: ``NotImplementedError``
with its message (which names the unsupported option), ``AttributeError``
with the class and missing attribute (``assert hasattr(...)`` failures
too), ``TypeError`` (unexpected keywords named), errors raised by
``retention`` itself on input it rejects (by field and reason), numerical
assertion failures (numpy / pandas tolerance comparisons, plain ``assert``
on numbers), other assertions, ``pytest.raises`` / ``pytest.warns`` that
saw nothing, and the rest by exception type and message (numbers replaced).

Optional packages: lifelines' tests use ``joblib`` (two serialisation tests,
reported as skipped without it) and pandas' ``Styler`` needs ``jinja2``
(``test_print_summary_with_styles`` fails without it, on lifelines too).
Both are small pure-Python packages; ``pip install joblib jinja2`` into the
environment makes the reference run clean.

Last run (lifelines 0.30.3 installed; tests from the mirror's v0.30.1 -- the
mirror has no v0.30.3 tag, and the library sources of the two are identical
but for version.py; joblib and jinja2 installed; 2 shared cores):
274 tests selected (269 functions), 7 of them xfail-marked.
``--impl lifelines``: 267 of 267 pass (7 xfailed), ~3 min.
``--impl retention``: 58 of 267 pass at the start of session 4 (196 failed,
13 errors, 6 xfailed, 1 xpassed); 166 of 267 at its end (101 failed, 6
xfailed, 1 xpassed), ~1.5 min; 258 of 267 at the end of session 6 (9
failed, 7 xfailed), ~1.5 min. The nine: two compare Kaplan-Meier values
with ``==`` and differ in the last bit (we multiply the factors, lifelines
exponentiates a sum of logs); three fit ``PiecewiseExponentialFitter`` with
an interval holding no event (no finite estimate: we raise
``EmptyInputError``, lifelines returns an arbitrary value); one passes
scipy's ``fit_options`` to a univariate parametric fitter (our Newton
iteration has none); one expects the spline Cox fit to fail within 10
iterations (ours converges in fewer); one left-censored spline Cox fit
without a single event (no maximum: we raise, lifelines returns its last
iterate); one compares left-censored Kaplan-Meier fits with
``survival_difference_at_fixed_point_in_time_test`` (right-censored fits
only).
"""

from __future__ import annotations

import argparse
import ast
import collections
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

DEFAULT_SRC = "/work/.mirror/CamDavidsonPilon+lifelines/repo"

BASE_FILES = [
    "lifelines/tests/test_estimation.py",
    "lifelines/tests/test_statistics.py",
    "lifelines/tests/utils/test_concordance.py",
]
UTILS_FILE = "lifelines/tests/utils/test_utils.py"

# The names issue #12 measures the door by: a test is selected (default
# scope) when it uses one of them.
ISSUE_NAMES = (
    "KaplanMeierFitter",
    "NelsonAalenFitter",
    "CoxPHFitter",
    "logrank_test",
    "multivariate_logrank_test",
    "concordance_index",
)
# lifelines module -> the retention.compat.lifelines module offering the same
# names; what is rebound is read from the latter's ``__all__`` at run time.
OUR_MODULE = {
    "lifelines": "retention.compat.lifelines",
    "lifelines.statistics": "retention.compat.lifelines.statistics",
    "lifelines.utils": "retention.compat.lifelines.utils",
    "lifelines.utils.concordance": "retention.compat.lifelines.utils",
    "lifelines.exceptions": "retention.compat.lifelines.exceptions",
}
SOURCE_MODULES = set(OUR_MODULE)
# {lifelines module: {name we offer}}, filled by offered_names()
OURS = {}
# names whose use selects a test, set by main() from --scope
SELECT = set(ISSUE_NAMES)


def offered_names():
    """{lifelines module: names of ours that replace its names}."""
    import importlib

    out = {}
    for source, ours in OUR_MODULE.items():
        names = set(getattr(importlib.import_module(ours), "__all__", ()))
        if source == "lifelines.utils.concordance":
            names &= {"concordance_index"}
        out[source] = names
    return out


STATS_PROXY = "_rebound_lifelines_statistics"


# --------------------------------------------------------------------------
# getting the tests


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def is_git_dir(path):
    return os.path.isdir(os.path.join(path, "objects")) and os.path.exists(os.path.join(path, "HEAD"))


def version_key(tag):
    return tuple(int(p) for p in re.findall(r"\d+", tag))


def choose_ref(git_dir, wanted):
    tags = run(["git", "--git-dir", git_dir, "tag", "--list", "v*"]).split()
    if wanted in tags:
        return wanted, None
    try:
        run(["git", "--git-dir", git_dir, "rev-parse", "--verify", "--quiet", wanted + "^{commit}"])
        return wanted, None
    except subprocess.CalledProcessError:
        pass
    older = [t for t in tags if re.fullmatch(r"v\d+(\.\d+)*", t) and version_key(t) <= version_key(wanted)]
    if not older:
        sys.exit(f"no tag {wanted} (nor an older v* tag) in {git_dir}")
    best = max(older, key=version_key)
    return best, f"the git repository has no {wanted}; using {best}, the newest tag not newer than it"


def compare_library(git_dir, ref):
    """How many lifelines library files (tests and version.py aside) differ
    between ``ref`` and the installed lifelines."""
    import lifelines

    root = os.path.dirname(lifelines.__file__)
    listing = run(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", ref, "lifelines"]).split("\n")
    differ = []
    n = 0
    for path in listing:
        if not path.endswith(".py") or "/tests/" in path or path.endswith("version.py"):
            continue
        n += 1
        local = os.path.join(root, os.path.relpath(path, "lifelines"))
        theirs = subprocess.run(["git", "--git-dir", git_dir, "show", f"{ref}:{path}"], capture_output=True).stdout
        try:
            with open(local, "rb") as fh:
                mine = fh.read()
        except OSError:
            differ.append(path + " (not installed)")
            continue
        if mine != theirs:
            differ.append(path)
    return n, differ


def extract_tests(src, ref, dest, files):
    """Copy the wanted test files (as of ``ref`` if ``src`` is a git dir)
    into ``dest`` flat; return {basename: original path}."""
    out = {}
    if is_git_dir(src) or os.path.isdir(os.path.join(src, ".git")):
        git_dir = src if is_git_dir(src) else os.path.join(src, ".git")
        for path in files:
            data = subprocess.run(
                ["git", "--git-dir", git_dir, "show", f"{ref}:{path}"], check=True, capture_output=True
            ).stdout
            with open(os.path.join(dest, os.path.basename(path)), "wb") as fh:
                fh.write(data)
            out[os.path.basename(path)] = path
    else:
        for path in files:
            shutil.copy(os.path.join(src, path), os.path.join(dest, os.path.basename(path)))
            out[os.path.basename(path)] = path
    return out


# --------------------------------------------------------------------------
# selection


def _is_fixture(fn):
    return any("fixture" in ast.unparse(d) for d in fn.decorator_list)


def _aliases_of_targets(tree):
    """Local names that module-level ``from ... import`` bind to our names."""
    local = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module in SOURCE_MODULES:
            for a in node.names:
                if a.name in SELECT:
                    local[a.asname or a.name] = a.name
    return local


def _imports_inside(fn):
    mods = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Import):
            mods.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            mods.add(node.module.split(".")[0])
    return mods


def select_tests(path):
    """{"Class::func" or "func": {"uses": [...], "needs": [...]}} for the
    selected test functions of one file."""
    with open(path) as fh:
        tree = ast.parse(fh.read())
    aliases = _aliases_of_targets(tree)

    def used(node):
        found = set()
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and n.id in aliases:
                found.add(aliases[n.id])
            elif isinstance(n, ast.Attribute) and n.attr in SELECT:
                found.add(n.attr)
        return found

    def fixtures_of(body):
        return {n.name: n for n in body if isinstance(n, ast.FunctionDef) and _is_fixture(n)}

    def closure(fn, fixtures, seen):
        found = used(fn)
        for arg in fn.args.args:
            if arg.arg in fixtures and arg.arg not in seen:
                seen.add(arg.arg)
                found |= closure(fixtures[arg.arg], fixtures, seen)
        return found

    module_fixtures = fixtures_of(tree.body)
    selected = {}

    def consider(fn, key, fixtures):
        if not fn.name.startswith("test"):
            return
        names = closure(fn, fixtures, set())
        if names:
            selected[key] = {"uses": sorted(names), "imports": sorted(_imports_inside(fn))}

    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            consider(node, node.name, module_fixtures)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            fixtures = dict(module_fixtures)
            fixtures.update(fixtures_of(node.body))
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    consider(item, f"{node.name}::{item.name}", fixtures)
    return selected


def missing_modules(mods):
    out = []
    for m in sorted(mods):
        if m in ("lifelines", "retention") or m in sys.builtin_module_names:
            continue
        if importlib.util.find_spec(m) is None:
            out.append(m)
    return out


# --------------------------------------------------------------------------
# rebinding


def rebind_file(path):
    """Rewrite, in place, the import statements of ``path`` that bring our
    names; return the list of (line, old, new) for the report."""
    with open(path) as fh:
        text = fh.read()
    tree = ast.parse(text)
    lines = text.split("\n")
    edits = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level != 0:
            continue
        if node.module not in SOURCE_MODULES:
            continue
        keep, ours, proxy = [], [], []
        for a in node.names:
            if a.name in OURS.get(node.module, ()):
                ours.append(a)
            elif node.module == "lifelines" and a.name == "statistics":
                proxy.append(a)
            else:
                keep.append(a)
        if not ours and not proxy:
            continue

        def spell(a):
            return a.name if not a.asname else f"{a.name} as {a.asname}"

        parts = []
        if keep:
            parts.append(f"from {node.module} import {', '.join(spell(a) for a in keep)}")
        by_module = collections.defaultdict(list)
        for a in ours:
            by_module[OUR_MODULE[node.module]].append(a)
        for mod, names in by_module.items():
            parts.append(f"from {mod} import {', '.join(spell(a) for a in names)}")
        for a in proxy:
            parts.append(f"import {STATS_PROXY} as {a.asname or 'statistics'}")
        first, last = node.lineno - 1, node.end_lineno - 1
        indent = lines[first][: node.col_offset]
        old = " ".join(line.strip() for line in lines[first : last + 1])
        new = indent + "; ".join(parts)
        lines[first : last + 1] = [new] + [""] * (last - first)
        edits.append((node.lineno, old, new.strip()))
    with open(path, "w") as fh:
        fh.write("\n".join(lines))
    return edits


STATS_PROXY_SOURCE = '''"""lifelines.statistics, except for the names that
retention.compat.lifelines.statistics offers, which are ours. Generated by
benches/lifelines_suite.py."""
import lifelines.statistics as _lifelines_statistics
import retention.compat.lifelines.statistics as _ours


def __getattr__(name):
    if name in _ours.__all__:
        return getattr(_ours, name)
    return getattr(_lifelines_statistics, name)
'''


CONFTEST_SOURCE = r'''"""Generated by benches/lifelines_suite.py: selects the tests, stands in
for ``flaky`` if it is missing, skips tests needing missing packages and
records every outcome into $LIFELINES_SUITE_RESULTS."""
import functools
import json
import os
import sys
import types

import pytest

try:
    import flaky as _real_flaky  # noqa: F401
except ImportError:
    def _flaky(fn=None, max_runs=None, min_passes=None, **_ignored):
        runs = 2 if max_runs is None else max_runs
        needed = 1 if min_passes is None else min_passes

        def wrap(test):
            @functools.wraps(test)
            def rerun(*args, **kwargs):
                passes, last = 0, None
                for i in range(runs):
                    try:
                        test(*args, **kwargs)
                        passes += 1
                    except Exception as exc:  # noqa: BLE001
                        last = exc
                    if passes >= needed:
                        return
                    if runs - i - 1 < needed - passes:
                        break
                raise last
            return rerun

        return wrap(fn) if callable(fn) else wrap

    _mod = types.ModuleType("flaky")
    _mod.flaky = _flaky
    sys.modules["flaky"] = _mod

with open(os.environ["LIFELINES_SUITE_SELECTION"]) as _fh:
    _SELECTION = json.load(_fh)
_RESULTS = {}


def _key(item):
    parts = item.nodeid.split("::")
    file = os.path.basename(parts[0])
    func = parts[-1].split("[")[0]
    return file, "::".join(parts[1:-1] + [func])


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        file, key = _key(item)
        info = _SELECTION.get(file, {}).get(key)
        if info is None:
            drop.append(item)
            continue
        if item.get_closest_marker("xfail") is not None:
            _RESULTS.setdefault(item.nodeid, {"outcome": "passed", "message": "", "when": ""})["xfail_marked"] = True
        if info.get("missing"):
            item.add_marker(pytest.mark.skip(reason="needs " + ", ".join(info["missing"]) + " (not installed)"))
        keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


def _message(report):
    lr = report.longrepr
    if lr is None:
        return ""
    if isinstance(lr, tuple):
        return str(lr[2])
    crash = getattr(lr, "reprcrash", None)
    if crash is not None:
        return crash.message
    return str(lr).strip().split("\n")[-1]


def pytest_runtest_logreport(report):
    rec = _RESULTS.setdefault(report.nodeid, {"outcome": "passed", "message": "", "when": ""})
    xfail = hasattr(report, "wasxfail")
    if report.when == "call":
        if xfail:
            rec["outcome"] = "xfailed" if report.skipped else "xpassed"
            rec["message"] = _message(report) if report.skipped else ""
        elif report.failed:
            rec.update(outcome="failed", message=_message(report), when="call")
        elif report.skipped:
            rec.update(outcome="skipped", message=_message(report), when="call")
    elif report.failed:
        if rec["outcome"] in ("passed", "skipped"):
            rec.update(outcome="error", message=_message(report), when=report.when)
    elif report.skipped:
        rec.update(outcome="xfailed" if xfail else "skipped", message=_message(report), when=report.when)


def pytest_sessionfinish(session, exitstatus):
    with open(os.environ["LIFELINES_SUITE_RESULTS"], "w") as fh:
        json.dump(_RESULTS, fh, indent=1)
'''


# --------------------------------------------------------------------------
# grouping failure reasons


NUMERIC_HINTS = (
    "Not equal to tolerance",
    "Arrays are not almost equal",
    "Arrays are not equal",
    "values are different",
    "Mismatched elements",
    "Max absolute difference",
)


def _norm(text, width=110):
    text = re.sub(r"0x[0-9a-f]+", "0x…", text)
    text = re.sub(r"-?\d+\.\d+(e[-+]?\d+)?", "<num>", text)
    text = re.sub(r"(?<![\w.])-?\d+(?![\w.-])", "<n>", text)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def classify(message):
    """(category, group) for a crash message such as
    ``NotImplementedError: interpolate=True is not supported``."""
    first = message.strip().split("\n")[0] if message.strip() else "(no message)"
    m = re.match(r"^([A-Za-z_][\w.]*):\s*(.*)$", first)
    etype, rest = (m.group(1), m.group(2)) if m else ("", first)
    whole = " ".join(message.split())
    if etype.endswith("NotImplementedError"):
        return "NotImplementedError", "NotImplementedError: " + _norm(rest)
    if etype.endswith("AttributeError"):
        a = re.search(r"'([\w.]+)' object has no attribute '(\w+)'", rest)
        if a:
            return "AttributeError", f"AttributeError: {a.group(1)}.{a.group(2)}"
        a = re.search(r"module '([\w.]+)' has no attribute '(\w+)'", rest)
        if a:
            return "AttributeError", f"AttributeError: module {a.group(1)}.{a.group(2)}"
        return "AttributeError", "AttributeError: " + _norm(rest)
    h = re.search(r"where False = hasattr\(<(?:[\w]+\.)*(\w+)[ :>].*?, '(\w+)'\)", whole)
    if h:  # ``assert hasattr(fitter, "x")``: a missing attribute too
        return "AttributeError", f"AttributeError: {h.group(1)}.{h.group(2)} (assert hasattr)"
    if etype.endswith("TypeError"):
        k = re.search(r"(\w+)\(\) got an unexpected keyword argument '(\w+)'", rest)
        if k:
            return "TypeError", f"TypeError: {k.group(1)}() unexpected keyword '{k.group(2)}'"
        return "TypeError", "TypeError: " + _norm(rest)
    if etype.startswith("retention.") or etype.startswith("retention_"):
        f = re.search(r"field `(\w+)` = \"[^\"]*\": ([^;]+)", rest)
        short = etype.rsplit(".", 1)[-1]
        if f:
            return "rejected by retention", f"{short}: field `{f.group(1)}` {f.group(2).strip()}"
        return "rejected by retention", f"{short}: {_norm(rest, 90)}"
    if etype.endswith("AssertionError") or first.startswith("assert ") or first == "AssertionError":
        if any(hint in whole for hint in NUMERIC_HINTS):
            what = "numpy" if ("tolerance" in whole or "Arrays are" in whole) else "pandas"
            return "numerical assertion", f"numerical assertion ({what} comparison)"
        if re.search(r"(DataFrame|Series|Index)(\.\w+)? are different", whole):
            sub = re.search(r"((?:DataFrame|Series|Index)[^:]*? are different)", whole).group(1)
            return "other assertion", "pandas: " + _norm(sub, 80)
        text = rest if etype else first
        if not text.strip() or text.strip() == "AssertionError":
            return "other assertion", "AssertionError (no message)"
        bare = re.sub(r"'[^']*'|\"[^\"]*\"", "''", text)  # numbers inside strings do not count
        if re.search(r"assert .*(\d\.\d|abs\(|np\.|<|>|==\s*-?\d)", bare) or re.search(r"assert -?\d", bare):
            return "numerical assertion", "numerical assertion (plain assert on numbers)"
        return "other assertion", "AssertionError: " + _norm(text, 90)
    w = re.match(r"Failed: DID NOT (RAISE|WARN)\.?\s*(.*)", first)
    if w:
        kinds = re.findall(r"<class '(?:[\w]+\.)*(\w+)'>", first) or re.findall(r"(\w+(?:Error|Warning))", first)
        return "did not raise/warn", f"did not {w.group(1).lower()} {', '.join(kinds) or _norm(w.group(2), 60)}"
    if etype:
        return "other", f"{etype}: {_norm(rest, 90)}"
    return "other", _norm(first, 100)


# --------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src", nargs="?", default=DEFAULT_SRC, help="lifelines git dir or source checkout")
    ap.add_argument("--ref", default=None, help="tag/commit (default: v<installed lifelines version>)")
    ap.add_argument("--impl", choices=["retention", "lifelines"], default="retention")
    ap.add_argument("--json", dest="json_out", default=None, help="write per-test results here")
    ap.add_argument("--top", type=int, default=40, help="failure groups to print")
    ap.add_argument("--with-test-utils", action="store_true", help="also select from tests/utils/test_utils.py")
    ap.add_argument("--list", action="store_true", help="print the selected test functions and exit")
    ap.add_argument("--scope", choices=["issue", "all"], default="issue",
                    help="select tests using the six names of issue #12 (default) or any name we offer")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("pytest_args", nargs="*", help="extra pytest arguments after --")
    args = ap.parse_args(argv)

    import lifelines

    OURS.update(offered_names())
    if args.scope == "all":
        SELECT.update(*OURS.values())
    files = BASE_FILES + ([UTILS_FILE] if args.with_test_utils else [])
    src = os.path.abspath(args.src)
    git_dir = src if is_git_dir(src) else (os.path.join(src, ".git") if os.path.isdir(os.path.join(src, ".git")) else None)
    notes = []
    ref = None
    if git_dir:
        ref, note = choose_ref(git_dir, args.ref or f"v{lifelines.__version__}")
        if note:
            notes.append(note)
        n, differ = compare_library(git_dir, ref)
        notes.append(
            f"lifelines library sources at {ref} vs installed lifelines {lifelines.__version__}: "
            f"{n - len(differ)} of {n} files identical"
            + (f"; differing: {', '.join(differ)}" if differ else " (version.py aside)")
        )

    tmp = tempfile.mkdtemp(prefix="lifelines_suite_")
    try:
        suite = os.path.join(tmp, "suite")
        os.makedirs(suite)
        originals = extract_tests(src, ref, suite, files)

        selection = {}
        for base in originals:
            sel = select_tests(os.path.join(suite, base))
            for info in sel.values():
                info["missing"] = missing_modules(info.pop("imports"))
            selection[base] = sel
        if args.list:
            for base, sel in selection.items():
                for key, info in sel.items():
                    extra = f"  [needs {', '.join(info['missing'])}]" if info["missing"] else ""
                    print(f"{originals[base]}::{key}  uses {', '.join(info['uses'])}{extra}")
            return 0

        edits = []
        if args.impl == "retention":
            for base in originals:
                edits += [(base,) + e for e in rebind_file(os.path.join(suite, base))]
            with open(os.path.join(suite, STATS_PROXY + ".py"), "w") as fh:
                fh.write(STATS_PROXY_SOURCE)
        with open(os.path.join(suite, "conftest.py"), "w") as fh:
            fh.write(CONFTEST_SOURCE)
        sel_path = os.path.join(tmp, "selection.json")
        res_path = os.path.join(tmp, "results.json")
        with open(sel_path, "w") as fh:
            json.dump(selection, fh)

        env = dict(os.environ, LIFELINES_SUITE_SELECTION=sel_path, LIFELINES_SUITE_RESULTS=res_path)
        env["PYTHONPATH"] = suite + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env.setdefault("MPLBACKEND", "Agg")
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--rootdir", suite,
               "-W", "ignore", "--tb=short", *sorted(originals), *args.pytest_args]
        print(f"lifelines tests from {src}" + (f" at {ref}" if ref else ""), flush=True)
        for note in notes:
            print("  note:", note)
        if edits:
            print(f"rebound imports ({len(edits)} statements):")
            for base, line, old, new in edits:
                print(f"  {base}:{line}: {_norm(old, 200)}\n      -> {new}")
        print(f"running pytest ({args.impl}) ...", flush=True)
        t0 = time.time()
        proc = subprocess.run(cmd, cwd=suite, env=env, capture_output=True, text=True)
        elapsed = time.time() - t0
        if not os.path.exists(res_path):
            sys.stdout.write(proc.stdout[-5000:] + proc.stderr[-5000:])
            sys.exit("pytest wrote no results")
        with open(res_path) as fh:
            results = json.load(fh)
    finally:
        if args.keep:
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    counts = collections.Counter(r["outcome"] for r in results.values())
    total = len(results)
    n_funcs = sum(len(s) for s in selection.values())
    print(f"\npytest exit status {proc.returncode}, {elapsed:.0f} s")
    tail = [l for l in proc.stdout.strip().split("\n") if l.strip()][-1:]
    if tail:
        print("pytest says:", tail[0])
    print(f"\nimplementation: {args.impl}; scope: {args.scope}")
    print(f"selected: {total} tests ({n_funcs} test functions)")
    for k in ("passed", "failed", "error", "skipped", "xfailed", "xpassed"):
        print(f"  {k:8s} {counts.get(k, 0)}")
    plain = [r for r in results.values() if not r.get("xfail_marked")]
    n_pass = sum(r["outcome"] == "passed" for r in plain)
    print(f"headline: {n_pass} of {len(plain)} pass (selected tests not marked xfail; "
          f"{total - len(plain)} xfail-marked left out)")
    per_file = collections.defaultdict(collections.Counter)
    for nodeid, r in results.items():
        parts = nodeid.split("::")
        group = os.path.basename(parts[0]) + ("::" + parts[1] if len(parts) > 2 else "")
        per_file[group][r["outcome"]] += 1
    print("\nby file/class (passed/total):")
    for group in sorted(per_file):
        c = per_file[group]
        print(f"  {group:60s} {c['passed']:4d}/{sum(c.values()):<4d}")

    skipped = collections.Counter(r["message"] for r in results.values() if r["outcome"] == "skipped")
    if skipped:
        print("\nskip reasons:")
        for msg, n in skipped.most_common():
            print(f"  {n:4d}  {msg}")

    groups = collections.Counter()
    group_errors = collections.Counter()
    cats = collections.Counter()
    for r in results.values():
        if r["outcome"] in ("failed", "error"):
            cat, grp = classify(r["message"])
            r["category"], r["group"] = cat, grp
            cats[cat] += 1
            groups[grp] += 1
            group_errors[grp] += r["outcome"] == "error"
    if cats:
        print("\nfailures + errors by category:")
        for cat, n in cats.most_common():
            print(f"  {n:4d}  {cat}")
        print(f"\ntop {args.top} failure groups ({len(groups)} groups; errors = raised in a fixture):")
        for grp, n in groups.most_common(args.top):
            err = f"  ({group_errors[grp]} errors)" if group_errors[grp] else ""
            print(f"  {n:4d}  {grp}{err}")

    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump(
                {
                    "impl": args.impl,
                    "source": src,
                    "ref": ref,
                    "lifelines_installed": lifelines.__version__,
                    "notes": notes,
                    "files": files,
                    "total": total,
                    "counts": dict(counts),
                    "scope": args.scope,
                    "headline": {"passed": n_pass, "of": len(plain)},
                    "categories": dict(cats),
                    "groups": dict(groups.most_common()),
                    "rebound_imports": [dict(file=b, line=l, old=o, new=n) for b, l, o, n in edits],
                    "tests": results,
                },
                fh,
                indent=1,
            )
        print("\nwrote", args.json_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
