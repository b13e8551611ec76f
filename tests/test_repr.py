"""Notebook displays and plain reprs of the four result objects; all text escaped."""

from __future__ import annotations

import warnings
from html.parser import HTMLParser

import pytest

import rpa_candidates as rc

SCRIPT = "<script>alert('x')</script>"
TOWN = "<b onmouseover=alert(1)>Musterstadt</b>"


class _Tags(HTMLParser):
    """Collects the tags of an HTML snippet, to prove no data text became markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        assert not any(name.startswith("on") for name, _ in attrs), attrs


def _tags(markup: str) -> set[str]:
    parser = _Tags()
    parser.feed(markup)
    return set(parser.tags)


@pytest.fixture(scope="module")
def objects():
    """An EventLog with a ``<script>`` activity, its model and analysis, and a comparison."""
    events = rc.synth.simulate("wohngeld", n_cases=150, seed=1).events
    events["activity"] = events["activity"].replace({"Antrag erfassen": SCRIPT})
    other = rc.synth.simulate("wohngeld", n_cases=150, seed=2).events
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        log = rc.read_log(events)
        analysis = rc.analyze(log)
        second = rc.analyze(rc.read_log(other))
    comparison = rc.compare([analysis, second], names=[TOWN, "Beispielheim"])
    return {"log": log, "model": analysis.model, "analysis": analysis, "comparison": comparison}


@pytest.mark.parametrize(
    ("name", "start", "hint"),
    [
        ("log", "EventLog(", ".quality.summary()"),
        ("model", "ProcessModel(", ".figure()"),
        ("analysis", "Analysis(", ".candidates"),
        ("comparison", "Comparison(", ".differences"),
    ],
)
def test_repr_is_one_line_saying_what_to_call_next(objects, name, start, hint):
    text = repr(objects[name])
    assert text.startswith(start)
    assert "\n" not in text
    assert hint in text


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("log", "EventLog"),
        ("model", "ProcessModel"),
        ("analysis", "Analysis"),
        ("comparison", "Comparison"),
    ],
)
def test_repr_html_is_a_compact_table(objects, name, caption):
    markup = objects[name]._repr_html_()
    assert caption in markup
    assert "<table" in markup
    assert len(markup) < 20_000  # compact: a summary, not the whole data
    assert _tags(markup) <= {
        "div",
        "table",
        "caption",
        "strong",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "small",
    }


@pytest.mark.parametrize("name", ["log", "model", "analysis", "comparison"])
def test_script_activity_is_escaped(objects, name):
    markup = objects[name]._repr_html_()
    assert "<script" not in markup.lower()
    assert "&lt;script&gt;" in markup
    assert "script" not in _tags(markup)


def test_town_name_is_escaped_in_comparison(objects):
    markup = objects["comparison"]._repr_html_()
    assert "onmouseover" in markup  # shown as text ...
    assert "<b onmouseover" not in markup  # ... never as markup
    assert "&lt;b onmouseover=alert(1)&gt;Musterstadt&lt;/b&gt;" in markup


def test_analysis_display_shows_top_candidates_and_totals(objects):
    analysis = objects["analysis"]
    markup = analysis._repr_html_()
    top = analysis.candidates["activity"].iloc[0]
    assert top in markup
    assert "Relief per year" in markup
    assert f"{analysis.totals()['relief_hours_per_year']:,.0f} h" in markup
    assert markup.count("<tr>") <= 10 + 1 + 3  # ten candidates, header row, summary rows
    assert ".to_html(path)" in markup


def test_eventlog_display_counts(objects):
    log = objects["log"]
    markup = log._repr_html_()
    assert f"{log.n_events:,}" in markup
    assert f"{log.n_cases:,}" in markup
    assert "Most frequent activities" in markup
