"""discover(): DFG, variants, inductive miner, fitness, process map; checked against pm4py."""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.figure
import numpy as np
import pandas as pd
import pytest

import rpa_candidates as rc
from rpa_candidates.core._pm4py import pm4py_module
from rpa_candidates.mining import ProcessModel, _pm4py_discovery, discover, discovery, processmap
from rpa_candidates.mining.model import fitness_summary

NASTY = '<script>"x"&'


def _tiny_frame(third: str = "C") -> pd.DataFrame:
    rows = [
        ("c1", "A", "2025-03-03 08:00", "2025-03-03 08:10"),
        ("c1", "B", "2025-03-03 08:30", "2025-03-03 08:40"),
        ("c1", third, None, "2025-03-03 09:00"),
        ("c2", "A", None, "2025-03-03 08:10"),
        ("c2", "B", None, "2025-03-03 08:50"),
        ("c2", third, "2025-03-03 09:50", "2025-03-03 10:00"),
        ("c3", "A", None, "2025-03-04 08:00"),
        ("c3", third, None, "2025-03-04 08:00"),  # same time as A: reading order decides
        ("c4", "B", None, "2025-03-05 08:00"),
    ]
    return pd.DataFrame(rows, columns=["case", "activity", "start", "end"])


def _read(frame: pd.DataFrame) -> rc.EventLog:
    return rc.read_log(
        frame, case="case", activity="activity", timestamp="end", start_timestamp="start"
    )


def _edges(dfg: pd.DataFrame) -> dict:
    return {(s, t): f for s, t, f in dfg[["source", "target", "frequency"]].itertuples(False)}


def _counts(frame: pd.DataFrame, key: str, count: str) -> dict:
    return dict(frame[[key, count]].itertuples(index=False, name=None))


@pytest.fixture(scope="module")
def tiny() -> ProcessModel:
    return discover(_read(_tiny_frame()), noise=0.0)


@pytest.fixture(scope="module")
def wohngeld_log() -> rc.EventLog:
    return rc.read_log(rc.synth.simulate("wohngeld", n_cases=300, seed=1).events)


@pytest.fixture(scope="module")
def wohngeld(wohngeld_log: rc.EventLog) -> ProcessModel:
    return discover(wohngeld_log)


# --- exact numbers on a hand-built log ------------------------------------------------


def test_tiny_dfg_counts_and_median_waits(tiny: ProcessModel) -> None:
    dfg = tiny.dfg.set_index(["source", "target"])
    assert list(tiny.dfg.columns) == ["source", "target", "frequency", "median_wait_seconds"]
    assert dfg["frequency"].to_dict() == {("A", "B"): 2, ("B", "C"): 2, ("A", "C"): 1}
    # A→B: B started 20 min after A ended (c1); B has no start, so its end, 40 min (c2)
    assert dfg.loc[("A", "B"), "median_wait_seconds"] == pytest.approx((1200 + 2400) / 2)
    # B→C: C has no start in c1 (20 min to its end); C started 60 min after B in c2
    assert dfg.loc[("B", "C"), "median_wait_seconds"] == pytest.approx((1200 + 3600) / 2)
    assert dfg.loc[("A", "C"), "median_wait_seconds"] == 0.0


def test_tiny_starts_ends_activities(tiny: ProcessModel) -> None:
    assert tiny.start_activities.to_dict("list") == {"activity": ["A", "B"], "count": [3, 1]}
    assert tiny.end_activities.to_dict("list") == {"activity": ["C", "B"], "count": [3, 1]}
    assert tiny.activities.to_dict("list") == {
        "activity": ["A", "B", "C"],
        "frequency": [3, 3, 3],
    }
    assert (tiny.n_cases, tiny.n_events) == (4, 9)


def test_tiny_variants(tiny: ProcessModel) -> None:
    assert tiny.variants["variant"].tolist() == [("A", "B", "C"), ("A", "C"), ("B",)]
    assert tiny.variants["cases"].tolist() == [2, 1, 1]
    assert tiny.variants["share"].tolist() == pytest.approx([0.5, 0.25, 0.25])


def test_tiny_model_fits_its_log(tiny: ProcessModel) -> None:
    assert tiny.miner == "IM"
    assert tiny.fitness["log_fitness"] == pytest.approx(1.0)
    assert tiny.fitness["perc_fit_traces"] == pytest.approx(100.0)
    assert tiny.fitness["case_coverage"] == 1.0
    net = tiny.petri_net[0]
    assert {t.label for t in net.transitions} - {None} == {"A", "B", "C"}
    assert tiny.bpmn is not None


def test_noise_is_checked() -> None:
    log = _read(_tiny_frame())
    for bad in (-0.1, 1.0, "0.2", True):
        with pytest.raises(rc.ParameterError, match="noise"):
            discover(log, noise=bad)


# --- agreement with pm4py -------------------------------------------------------------


def test_dfg_starts_ends_variants_equal_pm4py(wohngeld_log, wohngeld) -> None:
    pm4py = pm4py_module()
    df = wohngeld_log.df
    graph, starts, ends = pm4py.discover_dfg(df)
    assert _edges(wohngeld.dfg) == graph
    assert _counts(wohngeld.start_activities, "activity", "count") == starts
    assert _counts(wohngeld.end_activities, "activity", "count") == ends
    assert _counts(wohngeld.variants, "variant", "cases") == pm4py.get_variants(df)
    assert wohngeld.variants["share"].sum() == pytest.approx(1.0)


def test_tree_equals_pm4py_imf_on_the_full_log(wohngeld_log, wohngeld) -> None:
    pm4py = pm4py_module()
    assert wohngeld.miner == "IMf"
    expected = pm4py.discover_process_tree_inductive(wohngeld_log.df, noise_threshold=0.2)
    assert str(wohngeld.process_tree) == str(expected)


@pytest.mark.parametrize(
    "name",
    ["BPI_Challenge_2012.xes.gz", "T_BPIC15_2.xes.gz", "receipt.xes.gz", "running-example.xes.gz"],
)
def test_one_pass_variant_dfg_equals_pm4pys(sample_data, name) -> None:
    """The miner's DFG of a (sub)log, computed in one pass, is pm4py's: same counts, same
    insertion order of edges, starts and ends; pm4py's own function is back afterwards."""
    from collections import Counter

    pm4py_module()
    from pm4py.util.compression import util as comut

    variants = discover(rc.read_log(sample_data / name)).variants
    uvcl = Counter(dict(zip(variants["variant"], variants["cases"].tolist(), strict=True)))
    ours, theirs = _pm4py_discovery._dfg_of_variant_log(uvcl), comut.discover_dfg_uvcl(uvcl)
    assert list(ours.graph.items()) == list(theirs.graph.items())
    assert list(ours.start_activities.items()) == list(theirs.start_activities.items())
    assert list(ours.end_activities.items()) == list(theirs.end_activities.items())
    assert comut.discover_dfg_uvcl is not _pm4py_discovery._dfg_of_variant_log


@pytest.mark.parametrize("noise", [0.2, 0.6])
def test_weighted_variant_fitness_equals_full_token_replay(noise: float) -> None:
    pm4py = pm4py_module()
    log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=200, seed=3).events)
    model = discover(log, noise=noise)
    full = pm4py.fitness_token_based_replay(log.df, *model.petri_net)
    for key in ("log_fitness", "average_trace_fitness", "perc_fit_traces"):
        assert model.fitness[key] == pytest.approx(full[key], abs=1e-12), key
    assert model.fitness["variants_replayed"] == model.fitness["variants_total"]


def test_noise_free_model_fits_its_own_log(wohngeld_log) -> None:
    model = discover(wohngeld_log, noise=0.0)
    # measured: log_fitness 1.0, all traces fit (IM guarantees a fitting model)
    assert model.fitness["log_fitness"] == pytest.approx(1.0)
    assert model.fitness["perc_fit_traces"] == pytest.approx(100.0)


def test_replay_check_budget_keeps_the_most_frequent_variants(wohngeld_log, monkeypatch) -> None:
    full = discover(wohngeld_log)
    transitions = len(full.petri_net[0].transitions)
    lengths = full.variants["variant"].map(len)
    # room for the first five variants' events times the transitions, not for the sixth
    monkeypatch.setattr(discovery, "MAX_REPLAY_CHECKS", int(lengths.head(5).sum()) * transitions)
    model = discover(wohngeld_log)
    assert model.fitness["variants_replayed"] == 5
    top = model.variants["cases"].head(5).sum()
    assert model.fitness["case_coverage"] == pytest.approx(top / model.n_cases)
    # a budget below one variant still replays the most frequent one
    monkeypatch.setattr(discovery, "MAX_REPLAY_CHECKS", 1)
    assert discover(wohngeld_log).fitness["variants_replayed"] == 1


def test_replay_cap_reports_coverage(wohngeld_log, monkeypatch) -> None:
    monkeypatch.setattr(discovery, "MAX_REPLAY_VARIANTS", 3)
    monkeypatch.setattr(discovery, "REPLAY_SAMPLE_VARIANTS", 0)  # the head only
    model = discover(wohngeld_log)
    top = model.variants["cases"].head(3).sum()
    assert model.fitness["variants_replayed"] == 3
    assert model.fitness["variants_total"] == len(model.variants) > 3
    assert model.fitness["case_coverage"] == pytest.approx(top / model.n_cases)
    assert 0 < model.fitness["log_fitness"] <= 1


def test_sampled_replay_estimates_the_full_fitness(monkeypatch) -> None:
    """Past the variant budget: the most frequent variants and a random sample of the
    rest, weighted up to all cases. Over seeds the estimate scatters around the full
    replay's fitness as its standard error says."""
    rng = np.random.default_rng(4)
    rows = []
    for case in range(300):  # a main path with rare detours: many variants, not fitting
        steps = ["A", "B", "C", "D", "E"]
        for _ in range(int(rng.integers(0, 3))):
            steps.insert(int(rng.integers(1, len(steps))), f"X{rng.integers(0, 20)}")
        if rng.random() < 0.3:
            steps[1], steps[2] = steps[2], steps[1]
        for i, step in enumerate(steps):
            rows.append(
                (
                    f"C{case}",
                    step,
                    pd.Timestamp("2025-03-03 08:00") + pd.Timedelta(minutes=30 * i + 600 * case),
                )
            )
    log = rc.read_log(pd.DataFrame(rows, columns=["case", "activity", "timestamp"]))
    full = discover(log, noise=0.2)
    n_variants = full.fitness["variants_total"]
    assert full.fitness["stopped_by"] is None
    assert n_variants == 160  # measured
    assert full.fitness["log_fitness"] == pytest.approx(0.9324, abs=1e-4)  # IMf drops detours
    monkeypatch.setattr(discovery, "MAX_REPLAY_VARIANTS", 40)
    monkeypatch.setattr(discovery, "REPLAY_SAMPLE_VARIANTS", 30)
    errors, ses = [], []
    for seed in range(6):
        fitness = _pm4py_discovery.replay_fitness(
            full.variants,
            full.petri_net,
            max_variants=40,
            max_checks=10**9,
            sample=30,
            seed=seed,
        )
        assert fitness["stopped_by"] == "sample"
        assert fitness["variants_replayed"] == 40
        assert fitness["variants_sampled"] == 30
        assert fitness["tail_variants"] == n_variants - 10
        errors.append(fitness["log_fitness"] - full.fitness["log_fitness"])
        ses.append(fitness["standard_error"])
        assert fitness["standard_error"] > 0
    assert max(abs(e) for e in errors) < 4 * max(ses)
    assert abs(np.mean(errors)) < 2 * np.mean(ses)
    sampled = discover(log, noise=0.2)  # the budget of the discovery: seed 0
    assert sampled.fitness["variants_sampled"] == 30
    assert "random sample of 30" in fitness_summary(sampled.fitness)


def test_many_variants_fall_back_to_imd_on_the_dfg(wohngeld_log, monkeypatch) -> None:
    monkeypatch.setattr(discovery, "MAX_MINING_VARIANTS", 1)
    model = discover(wohngeld_log)
    assert model.miner == "IMd"
    assert 0 < model.fitness["log_fitness"] <= 1


# --- rendering ------------------------------------------------------------------------


def test_repr_and_html(wohngeld) -> None:
    text = repr(wohngeld)
    assert "\n" not in text
    assert ".figure()" in text
    assert "300 cases" in text
    html = wohngeld._repr_html_()
    assert html.startswith("<table>")
    assert "IMf" in html


def test_figure_one_patch_per_activity(wohngeld) -> None:
    fig = wohngeld.figure()
    assert isinstance(fig, matplotlib.figure.Figure)
    ax = fig.axes[0]
    names = {p.get_gid() for p in ax.patches}
    assert len(ax.patches) == len(wohngeld.activities)
    assert names == {f"activity:{a}" for a in wohngeld.activities["activity"]}


def test_figure_colour_by_series_adds_a_colour_bar(wohngeld) -> None:
    activities = wohngeld.activities["activity"]
    values = pd.Series(range(len(activities)), index=activities, name="Automatisierbarkeit")
    fig = wohngeld.figure(color_by=values.drop(activities.iloc[0]), top_edges=5, lang="en")
    assert len(fig.axes) == 2
    assert fig.axes[1].get_xlabel() == "Automatisierbarkeit"  # horizontal colour bar
    grey = {p.get_gid(): p.get_facecolor() for p in fig.axes[0].patches}
    assert grey[f"activity:{activities.iloc[0]}"][:3] == pytest.approx((230 / 255,) * 3)


def test_figure_arguments_are_checked(wohngeld) -> None:
    with pytest.raises(rc.ParameterError, match="lang"):
        wohngeld.figure(lang="fr")
    with pytest.raises(rc.ParameterError, match="top_edges"):
        wohngeld.figure(top_edges=-1)
    with pytest.raises(rc.ParameterError, match="colormap"):
        wohngeld.figure(color_by={"x": 1.0}, cmap="no-such-map")


def test_layout_is_left_to_right() -> None:
    positions, back = processmap.layered_layout(
        ["A", "B", "C", "D"], [("A", "B"), ("B", "C"), ("C", "B"), ("B", "D"), ("D", "D")], ["A"]
    )
    layer = {a: k for a, (k, _) in positions.items()}
    assert layer["A"] < layer["B"] < layer["C"]
    assert layer["B"] < layer["D"]
    assert back == {("C", "B"), ("D", "D")}


@pytest.fixture(scope="module")
def nasty() -> ProcessModel:
    return discover(_read(_tiny_frame(third=NASTY)))


def _dot_unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")


def test_dot_escapes_activity_names(nasty: ProcessModel) -> None:
    dot = nasty.to_dot()
    line = next(x for x in dot.splitlines() if "script" in x)
    label = line.split("label=", 1)[1].split(", fillcolor=")[0]
    assert label == '"<script>\\"x\\"&\\n3"'
    assert _dot_unescape(label[1:-1]) == NASTY + "\n3"
    assert dot.count("{") == dot.count("}") == 1


def test_svg_without_dot_uses_matplotlib(nasty, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(processmap.shutil, "which", lambda name: None)
    target = tmp_path / "map.svg"
    svg = nasty.to_svg(target)
    assert target.read_text(encoding="utf-8") == svg
    assert "<script>" not in svg
    root = ET.fromstring(svg)  # well-formed XML, the name escaped
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any(NASTY in t for t in texts)


def _fake_dot(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "dot"
    script.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_svg_with_dot_runs_graphviz(nasty, monkeypatch, tmp_path: Path) -> None:
    # a stand-in for Graphviz: checks the arguments, wraps the DOT it got in an SVG
    _fake_dot(
        tmp_path,
        "import sys, html\n"
        "assert sys.argv[1:] == ['-Tsvg'], sys.argv\n"
        "dot = sys.stdin.buffer.read().decode('utf-8')\n"
        "sys.stdout.write('<svg xmlns=\"http://www.w3.org/2000/svg\"><desc>'"
        " + html.escape(dot) + '</desc></svg>')\n",
    )
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    svg = nasty.to_svg()
    assert svg.startswith("<svg")
    assert ET.fromstring(svg).find("{http://www.w3.org/2000/svg}desc").text == nasty.to_dot()


def test_svg_falls_back_when_dot_fails(nasty, monkeypatch, tmp_path: Path) -> None:
    _fake_dot(tmp_path, "import sys\nsys.exit(3)\n")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.warns(rc.RenderingWarning, match="dot"):
        svg = nasty.to_svg()
    assert "matplotlib" in svg.lower()


# --- a real log -----------------------------------------------------------------------


def test_real_receipt_log(sample_data: Path) -> None:
    log = rc.read_log(sample_data / "receipt.xes.gz")
    model = discover(log)
    assert 0 < model.fitness["log_fitness"] <= 1
    assert int(model.dfg["frequency"].sum()) == log.n_events - log.n_cases
    assert int(model.start_activities["count"].sum()) == log.n_cases
    everything = model.figure(max_activities=None, max_rows=None)
    assert len(everything.axes[0].patches) == log.n_activities
    # half of the cases do not fit the IMf model, and the weighting still matches pm4py
    pm4py = pm4py_module()
    full = pm4py.fitness_token_based_replay(log.df, *model.petri_net)
    assert model.fitness["perc_fit_traces"] == pytest.approx(full["perc_fit_traces"])
    assert model.fitness["log_fitness"] == pytest.approx(full["log_fitness"], abs=1e-12)
    graph, _, _ = pm4py.discover_dfg(log.df)
    assert _edges(model.dfg) == graph
