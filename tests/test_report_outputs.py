"""Reports of one analysis: numbers match, text is escaped, formulas inert, no staff names."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from matplotlib.figure import Figure

import rpa_candidates as rc
from rpa_candidates.analysis import CANDIDATE_COLUMNS
from rpa_candidates.report import neutralise
from rpa_candidates.report.charts import _check_svg, svg_markup

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'
DOLLAR = "Miete $\\x$ & Wohnfläche\x07 prüfen"  # no mathtext, no control character in xlsx


@pytest.fixture(scope="module")
def sim():
    return rc.synth.simulate("wohngeld", n_cases=150, seed=1)


@pytest.fixture(scope="module")
def result(sim):
    renamed = sim.events["activity"].replace(
        {
            "Antrag erfassen": SCRIPT,
            "Zahlung anordnen": FORMULA,
            "Miete und Wohnfläche prüfen": DOLLAR,
        }
    )
    return rc.analyze(rc.read_log(sim.events.assign(activity=renamed)))


@pytest.fixture(scope="module")
def outputs(result, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    result.to_excel(folder / "r.xlsx")
    return {
        "html_de": result.to_html(folder / "r.html"),
        "html_en": result.to_html(lang="en"),
        "md_de": result.to_markdown(),
        "md_en": result.to_markdown("en"),
        "json": result.to_json(folder / "r.json"),
        "xlsx": folder / "r.xlsx",
        "folder": folder,
    }


class _Tables(HTMLParser):
    """Cell texts of every table with an id, and the text of elements with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.ids: dict[str, str] = {}
        self._table: str | None = None
        self._open: list[list] = []  # [id, tag, depth] of open elements with an id
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._table = a["id"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        for entry in self._open:
            entry[2] += entry[1] == tag
        if a.get("id") and tag in ("div", "ol", "ul", "p", "span", "section"):
            self._open.append([a["id"], tag, 1])
            self.ids[a["id"]] = ""

    def handle_endtag(self, tag):
        for entry in self._open:
            entry[2] -= entry[1] == tag
        self._open = [e for e in self._open if e[2] > 0]
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        for entry in self._open:
            self.ids[entry[0]] += data


def _parse(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def _number(text: str, lang: str) -> float:
    """'1.234,5 h' (de) or '1,234.5 h' (en) -> 1234.5."""
    raw = re.search(r"-?[\d.,]+", text).group(0)
    raw = raw.replace(".", "").replace(",", ".") if lang == "de" else raw.replace(",", "")
    return float(raw)


@pytest.mark.parametrize(("key", "lang"), [("html_de", "de"), ("html_en", "en")])
def test_html_numbers_match_the_analysis(result, outputs, key, lang):
    page = _parse(outputs[key])
    rows = page.tables["candidate-table"]
    header, body = rows[0], rows[1:]
    assert len(body) == len(result.candidates)
    col = header.index("Entlastung (h/Jahr)" if lang == "de" else "Relief (h/year)")
    for row, expected in zip(body, result.candidates.itertuples(), strict=True):
        assert row[1].startswith(expected.activity.replace("\x07", ""))
        assert _number(row[col], lang) == pytest.approx(expected.relief_hours_per_year, abs=0.051)
    totals = result.totals()
    assert _number(page.ids["total-hours"], lang) == pytest.approx(
        totals["relief_hours_per_year"], abs=0.51
    )
    assert _number(page.ids["total-eur"], lang) == pytest.approx(
        totals["relief_eur_per_year"], abs=0.51
    )
    assert _number(page.ids["total-fte"], lang) == pytest.approx(totals["relief_fte"], abs=0.0051)
    top = result.candidates[~result.candidates["already_automated"]].iloc[0]
    assert top["activity"] in page.ids["top-candidates"]


def test_html_is_self_contained_escaped_and_complete(outputs):
    html = outputs["html_de"]
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<link" not in html
    assert "@import" not in html
    assert html.count("<svg") == 3
    for section in (
        "summary",
        "candidates",
        "quick_wins",
        "pareto",
        "process_map",
        "cards",
        "routines",
        "quality",
        "methodology",
        "privacy",
    ):
        assert f'<section id="{section}">' in html
    for text in (
        "hours_per_fte",
        "bot_success_rate",
        "data/routines.toml",
        "data/timing.toml",
        "data/automation.toml",
        "executions_per_year",
        "Lohnkostentabelle",
    ):
        assert text in html, text
    en = outputs["html_en"]
    assert "Management summary" in en
    assert "Executed" in en
    assert "Management-Zusammenfassung" in html
    assert "Wird" in html


def test_html_is_reproducible(result, outputs):
    assert result.to_html() == outputs["html_de"]
    assert (outputs["folder"] / "r.html").read_text(encoding="utf-8") == outputs["html_de"]


def test_svg_charts_escape_text(result):
    figures = result.figures
    assert set(figures) == {"quick_wins", "pareto", "process_map"}
    assert all(isinstance(f, Figure) for f in figures.values())
    svg = str(svg_markup(figures["process_map"], "process_map"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "<script" not in svg
    for bad in (
        '<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="x()"></svg>',
    ):
        with pytest.raises(ValueError, match="SVG"):
            _check_svg(bad)


def _md_rows(md: str, first_header: str) -> list[list[str]]:
    lines = md.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))])
    return rows


@pytest.mark.parametrize(("key", "lang"), [("md_de", "de"), ("md_en", "en")])
def test_markdown_numbers_match_and_text_is_escaped(result, outputs, key, lang):
    md = outputs[key]
    rows = _md_rows(md, "Rang" if lang == "de" else "Rank")
    assert len(rows) == len(result.candidates)
    for row, expected in zip(rows, result.candidates.itertuples(), strict=True):
        assert _number(row[6], lang) == pytest.approx(expected.relief_hours_per_year, abs=0.051)
    total = result.totals()["relief_hours_per_year"]
    label = "Entlastung pro Jahr" if lang == "de" else "Relief per year"
    line = next(x for x in md.splitlines() if x.startswith(f"- **{label}:**"))
    assert _number(line.split(":**")[1], lang) == pytest.approx(total, abs=0.51)
    assert "<script" not in md
    assert "&lt;script&gt;" in md


def test_excel_is_inert_and_matches(result, outputs):
    import openpyxl

    wb = openpyxl.load_workbook(outputs["xlsx"])
    assert wb.sheetnames == [
        "Übersicht",
        "Kandidaten",
        "Entscheidung",
        "Routinen",
        "Annahmen",
        "Datenqualität",
        "Methodik",
        "Plausibilität",
    ]
    texts = []
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r", "＝")), (
                        ws.title,
                        cell.value,
                    )
                    texts.append(cell.value)
    assert "'" + FORMULA in texts
    assert DOLLAR.replace("\x07", "") in texts
    ws = wb["Kandidaten"]
    header = [c.value for c in ws[1]]
    hours, act = header.index("Entlastung (h/Jahr)") + 1, header.index("Tätigkeit") + 1
    for i, expected in enumerate(result.candidates.itertuples(), 2):
        assert ws.cell(i, act).value.lstrip("'") == expected.activity.replace("\x07", "")
        assert ws.cell(i, hours).value == pytest.approx(expected.relief_hours_per_year)
    assert '"h"' in ws.cell(2, hours).number_format
    eur = header.index("Entlastung (€/Jahr)") + 1
    assert "€" in ws.cell(2, eur).number_format
    assert "%" in ws.cell(2, header.index("Automatisierbarkeit") + 1).number_format


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "\n=1",
        "  =1",
        "＝1",
        "＋1",
        "－1",
        "＠x",
        FORMULA,
    ],
)
def test_neutralise_triggers(text):
    assert neutralise(text).startswith("'")


def test_neutralise_leaves_plain_text():
    assert neutralise("Antrag erfassen") == "Antrag erfassen"
    assert neutralise("a=b") == "a=b"


def test_json_is_deterministic_finite_and_matches(result, outputs):
    text = outputs["json"]
    assert result.to_json() == text
    assert "NaN" not in text
    assert "Infinity" not in text

    def refuse(token):
        raise AssertionError(f"non-standard token {token}")

    data = json.loads(text, parse_constant=refuse)
    assert {"candidates", "log", "assumptions", "quality"} <= set(data)
    rows = data["candidates"]
    assert len(rows) == len(result.candidates)
    assert set(CANDIDATE_COLUMNS) <= set(rows[0])
    assert set(result.candidates.columns) == set(rows[0])
    for row, expected in zip(rows, result.candidates.itertuples(), strict=True):
        assert row["activity"] == expected.activity
        assert row["relief_hours_per_year"] == pytest.approx(
            expected.relief_hours_per_year, abs=1e-6
        )
    assert data["totals"]["relief_hours_per_year"] == pytest.approx(
        result.totals()["relief_hours_per_year"], abs=1e-6
    )
    assert data["quality"]["rows_read"] == result.quality.rows_read


def test_no_staff_names_in_any_output(sim, result, outputs):
    import openpyxl

    names = set(sim.events["resource"].dropna().astype(str)) | set(sim.staff["resource"])
    assert len(names) >= 2
    wb = openpyxl.load_workbook(outputs["xlsx"])
    cells = " ".join(str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r)
    svgs = " ".join(str(svg_markup(f, n)) for n, f in result.figures.items())
    everything = {
        **{k: v for k, v in outputs.items() if isinstance(v, str)},
        "xlsx": cells,
        "svg": svgs,
    }
    for fmt, text in everything.items():
        for name in names:
            assert name not in text, (fmt, name)
            assert name.split()[-1] not in text or len(name.split()) == 1, (fmt, name)


def test_comparison_reports(result):
    comparison = rc.compare([result, result], ["Musterstadt", "Beispielhausen"])
    html = comparison.to_html()
    md = comparison.to_markdown("en")
    assert "Musterstadt" in html
    assert "Beispielhausen" in md
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "One shared robot for all" in md
    page = _parse(html)
    assert len(page.tables["shared-table"]) == len(comparison.shared) + 1


def test_custom_criteria_keep_reasons_in_the_analysis_language(result):
    import dataclasses

    scores = result.scores.assign(rule_score=result.scores["rule_score"] * 0.9)
    custom = dataclasses.replace(result, scores=scores)
    html = custom.to_html(lang="en")
    assert "custom scoring criteria were used" in html
    assert "The analysis used its own criteria" in html
    assert "Wird " in html  # German reasons kept
    assert "custom scoring criteria" not in result.to_html(lang="en")
