"""The HTML report as a person sees it: opened in a real headless Chromium.

Chromium prints the report to PDF (``--print-to-pdf``, no header or footer, so the title
found in the PDF is the report's own), takes a screenshot and dumps the DOM; the tests
check that the title and the top candidate are in the PDF text (``pdftotext`` of
poppler-utils), that the screenshot is not blank, that the console logged nothing (the
report runs no scripts, so any console line is an error: a blocked resource, a CSP
violation, an exception) and that a hostile activity name stays text.

``.ci/run`` installs ``chromium`` and ``poppler-utils``; on a machine without Chromium
these tests skip and say so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import rpa_candidates as rc

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_logs" / "wohngeld_export.csv"
CHROMIUM = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
        if (found := shutil.which(name))
    ),
    None,
)
PDFTOTEXT = shutil.which("pdftotext")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]
#: The report's own header and title (each language), and a hostile activity name.
TITLES = {"de": "RPA-Kandidaten", "en": "RPA candidates"}
HOSTILE = '<img src=x onerror="document.title=1">Antrag <script>document.title=2</script>'

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install chromium; .ci/run installs it)",
)
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None,
    reason="pdftotext is not installed (apt-get install poppler-utils; .ci/run installs it)",
)


def _chromium(tmp: Path, page: Path, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on ``page`` with a fresh profile; fail on a non-zero exit."""
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def console_errors(stderr: str) -> list[str]:
    """Console messages and uncaught exceptions in Chromium's ``--enable-logging`` output.

    ``console.error`` and ``console.log`` are both logged as ``INFO:CONSOLE``; the report
    runs no script, so every console line counts. Chromium's own noise (D-Bus, GPU) does not.
    """
    return [
        line
        for line in stderr.splitlines()
        if re.search(r":CONSOLE[(:\]]|ERROR:CONSOLE|Uncaught", line)
    ]


def _pdf_text(pdf: Path) -> str:
    out = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", " ", out)


class _Heading(HTMLParser):
    """The text of the first ``<h1>`` and every element of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.h1: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_h1 = self._in_h1 or (tag == "h1" and not self.h1)

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1.append(data)


def _parse(markup: str) -> _Heading:
    parser = _Heading()
    parser.feed(markup)
    return parser


@pytest.fixture(scope="module")
def analysis():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return rc.analyze(rc.read_log(SAMPLE))


@pytest.fixture(scope="module", params=["de", "en"])
def report(request, analysis, tmp_path_factory):
    """The sample log's HTML report in one language: (path, language, h1 text)."""
    lang = request.param
    path = tmp_path_factory.mktemp(f"browser-{lang}") / f"bericht-{lang}.html"
    markup = analysis.to_html(path, lang=lang)
    heading = " ".join("".join(_parse(markup).h1).split())
    return path, lang, heading


@needs_pdftotext
def test_pdf_shows_title_and_top_candidate(report, analysis, tmp_path):
    path, lang, heading = report
    pdf = tmp_path / "bericht.pdf"
    result = _chromium(
        tmp_path,
        path,
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
        "--print-to-pdf-no-header",  # the older spelling of the flag above
    )
    assert pdf.is_file()
    assert pdf.read_bytes().startswith(b"%PDF")
    # a line break after a hyphen ("Software-\nRoboter") reads back as "Software- Roboter"
    text = re.sub(r"-\s+", "-", _pdf_text(pdf))
    assert TITLES[lang] in heading
    assert heading in text
    top = analysis.candidates["activity"].iloc[0]
    assert top in text
    assert console_errors(result.stderr) == []


def test_screenshot_is_not_blank(report, tmp_path):
    import matplotlib.image

    path, _, _ = report
    png = tmp_path / "bericht.png"
    result = _chromium(tmp_path, path, f"--screenshot={png}", "--window-size=1280,1600")
    pixels = matplotlib.image.imread(png)[..., :3]
    assert pixels.shape[:2] == (1600, 1280)
    ink = np.mean(pixels.min(axis=2) < 0.85)  # share of pixels that are not (near) white
    assert ink > 0.02, f"only {ink:.1%} of the screenshot is not white"
    assert pixels.std() > 0.05
    assert console_errors(result.stderr) == []


def test_dom_has_report_content_and_no_console_errors(report, analysis, tmp_path):
    path, lang, heading = report
    result = _chromium(tmp_path, path, "--dump-dom")
    dom = _parse(result.stdout)
    assert " ".join("".join(dom.h1).split()) == heading
    assert analysis.candidates["activity"].iloc[0] in result.stdout
    assert f'lang="{lang}"' in result.stdout
    assert console_errors(result.stderr) == []


def test_hostile_activity_name_stays_text(tmp_path):
    events = rc.synth.simulate("wohngeld", n_cases=120, seed=4).events
    events["activity"] = events["activity"].replace({"Antrag erfassen": HOSTILE})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        analysis = rc.analyze(rc.read_log(events))
    page = tmp_path / "feindlich.html"
    analysis.to_html(page)
    result = _chromium(tmp_path, page, "--dump-dom")
    dom = _parse(result.stdout)
    assert not [tag for tag, _ in dom.tags if tag == "script"]
    assert not [attrs for _, attrs in dom.tags if any(k.startswith("on") for k in attrs)]
    assert not [attrs for tag, attrs in dom.tags if tag == "img" and attrs.get("src") == "x"]
    assert "document.title=2" in result.stdout  # shown as text
    assert console_errors(result.stderr) == []


def test_console_scan_catches_a_broken_page(tmp_path):
    """The check above would notice an error: a page that throws is caught."""
    page = tmp_path / "kaputt.html"
    page.write_text(
        "<!doctype html><title>x</title><p>x</p>"
        "<script>console.error('kaputt'); throw new Error('boom');</script>",
        encoding="utf-8",
    )
    errors = console_errors(_chromium(tmp_path, page, "--dump-dom").stderr)
    assert any("kaputt" in line for line in errors)
    assert any("Uncaught Error: boom" in line for line in errors)


_PROBE = """<script>(function () {
  var limit = document.documentElement.clientWidth, wide = [];
  document.querySelectorAll("table, figure, svg, img, pre").forEach(function (e) {
    var right = e.getBoundingClientRect().right;
    if (right > limit + 1) { wide.push(e.tagName + ":" + Math.round(right)); }
  });
  document.body.setAttribute("data-overflow", wide.join(" "));
})();</script>"""


def test_nothing_wider_than_an_a4_page(report, tmp_path):
    """At A4 width (794 CSS px) no table or chart reaches past the page's right edge."""
    path, _, _ = report
    markup = path.read_text(encoding="utf-8")
    # The report's Content-Security-Policy forbids scripts; the probe copy drops it.
    markup = re.sub(r"<meta[^>]*Content-Security-Policy[^>]*>", "", markup)
    probe = tmp_path / "probe.html"
    probe.write_text(markup.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    dom = _chromium(tmp_path, probe, "--window-size=794,1123", "--dump-dom").stdout
    found = re.search(r'data-overflow="([^"]*)"', dom)
    assert found is not None, "the layout probe did not run"
    assert found.group(1) == "", f"wider than the page: {found.group(1)}"


# --- layout measured in the browser (issue 18) --------------------------------------------

#: Measures, in the rendered page, what a reader would see as broken layout; the result is
#: written into the DOM (``data-layout`` on <body>) and read back with ``--dump-dom``.
_LAYOUT_PROBE = """<script>(function () {
  var doc = document.documentElement, out = {viewport: doc.clientWidth,
    page_width: doc.scrollWidth, broken: [], narrow: [], scroll: [], rows: {}, map_pt: null};
  function words(cell) {
    var found = [], walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT), node;
    while ((node = walk.nextNode())) {
      if (node.parentElement.closest(".formula, .code")) { continue; }  // not words
      var re = /[^\\s\\-\\u2013]+/g, m;
      while ((m = re.exec(node.data))) { found.push([node, m.index, m.index + m[0].length]); }
    }
    return found;
  }
  document.querySelectorAll("table td, table th").forEach(function (cell) {
    var style = getComputedStyle(cell);
    var inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    words(cell).forEach(function (w) {
      var r = document.createRange(); r.setStart(w[0], w[1]); r.setEnd(w[0], w[2]);
      var rects = Array.prototype.filter.call(r.getClientRects(),
        function (x) { return x.width > 0; });
      var text = w[0].data.slice(w[1], w[2]);
      if (rects.length > 1) { out.broken.push(text); }
      var width = r.getBoundingClientRect().width;
      if (width > inner + 1.5) {
        out.narrow.push(text + ":" + Math.round(width) + ">" + Math.round(inner));
      }
    });
  });
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      var id = (wrap.querySelector("table") || {}).id;
      out.scroll.push(id + ":" + wrap.scrollWidth + ">" + wrap.clientWidth);
    }
  });
  ["candidate-table", "decision-table", "routine-table"].forEach(function (id) {
    var t = document.getElementById(id);
    if (!t) { return; }
    var heights = Array.prototype.map.call(t.tBodies[0].rows,
      function (r) { return r.getBoundingClientRect().height; });
    out.rows[id] = {max: Math.max.apply(null, heights), width: t.getBoundingClientRect().width};
  });
  var sizes = [];
  document.querySelectorAll("figure.map svg text").forEach(function (e) {
    var ctm = e.getScreenCTM(), size = parseFloat(getComputedStyle(e).fontSize);
    if (ctm && size && e.textContent.trim()) { sizes.push(size * Math.hypot(ctm.a, ctm.b) * 0.75); }
  });
  out.map_pt = sizes.length ? Math.min.apply(null, sizes) : null;
  out.map_texts = sizes.length;
  document.body.setAttribute("data-layout", JSON.stringify(out));
})();</script>"""


def _measure(tmp: Path, page: Path, width: int, *, print_css: bool = False) -> dict:
    """Run :data:`_LAYOUT_PROBE` on a copy of ``page`` at ``width`` CSS px.

    ``print_css`` applies the report's ``@media print`` rules on screen, so that the probe
    measures the layout of the printed page (A4 content width: 186 mm = 703 px).
    """
    import html as html_lib
    import json

    markup = page.read_text(encoding="utf-8")
    markup = re.sub(r"<meta[^>]*Content-Security-Policy[^>]*>", "", markup)
    if print_css:
        markup = markup.replace("@media print {", "@media all {")
    probe = tmp / f"probe-{width}-{int(print_css)}.html"
    probe.write_text(markup.replace("</body>", _LAYOUT_PROBE + "</body>"), encoding="utf-8")
    dom = _chromium(tmp, probe, f"--window-size={width},1000", "--dump-dom").stdout
    found = re.search(r'data-layout="([^"]*)"', dom)
    assert found is not None, "the layout probe did not run"
    return json.loads(html_lib.unescape(found.group(1)))


def _many_activities_report(folder: Path) -> Path:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from _layout import many_activities_log

    from rpa_candidates.mining import discovery as mining

    saved = mining.MAX_REPLAY_CHECKS
    mining.MAX_REPLAY_CHECKS = 20_000  # the replay of 150 activities is not tested here
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rc.DataQualityWarning)
            result = rc.analyze(many_activities_log(150, n_cases=300))
    finally:
        mining.MAX_REPLAY_CHECKS = saved
    return Path(result.to_html(folder / "viele.html") and folder / "viele.html")


@pytest.fixture(scope="module", params=["demo", "receipt", "generated-150"])
def layout_report(request, analysis, tmp_path_factory) -> tuple[str, Path]:
    """The German report of the demo, of receipt.xes.gz (27 activities) and of 150 activities."""
    folder = tmp_path_factory.mktemp(f"layout-{request.param}")
    if request.param == "demo":
        analysis.to_html(folder / "demo.html")
        return request.param, folder / "demo.html"
    if request.param == "receipt":
        source = REPO.parent / "shared" / "sample-data" / "receipt.xes.gz"
        if not source.is_file():
            pytest.skip(f"real sample logs not found at {source.parent}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", rc.DataQualityWarning)
            rc.analyze(rc.read_log(source)).to_html(folder / "receipt.html")
        return request.param, folder / "receipt.html"
    return request.param, _many_activities_report(folder)


@pytest.mark.parametrize("width", [1280, 1920])
def test_tables_fit_and_no_word_is_broken(layout_report, width, tmp_path) -> None:
    """No word of a table cell is split over lines, no cell is narrower than its longest
    word, no table needs horizontal scrolling, nothing is wider than the window."""
    name, page = layout_report
    m = _measure(tmp_path, page, width)
    assert m["page_width"] <= m["viewport"], m
    assert m["broken"] == [], f"{name}: words broken inside: {m['broken'][:10]}"
    assert m["narrow"] == [], f"{name}: cells narrower than a word: {m['narrow'][:10]}"
    assert m["scroll"] == [], f"{name}: tables that scroll: {m['scroll']}"
    ranking = m["rows"]["candidate-table"]
    assert ranking["width"] <= m["viewport"]
    assert ranking["max"] < 80, f"{name}: a ranking row is {ranking['max']:.0f} px high"


def test_printed_layout_keeps_words_and_7_pt_map_labels(layout_report, tmp_path) -> None:
    """The print style at A4 content width (703 px): words whole, map text at least 7 pt."""
    name, page = layout_report
    m = _measure(tmp_path, page, 703, print_css=True)
    assert m["broken"] == [], f"{name}: words broken inside: {m['broken'][:10]}"
    assert m["scroll"] == [], f"{name}: tables wider than the page: {m['scroll']}"
    assert m["map_texts"] > 10
    assert m["map_pt"] >= 6.95, f"{name}: smallest map label {m['map_pt']:.2f} pt on A4"


def _pages(pdf: Path) -> list[str]:
    count = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout,
        ).group(1)
    )
    texts = []
    for page in range(1, count + 1):
        out = subprocess.run(
            [PDFTOTEXT, "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        texts.append(re.sub(r"\s+", " ", out))
    return texts


@needs_pdftotext
@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) missing")
def test_printed_report_summary_first_appendix_last(layout_report, tmp_path) -> None:
    """A4 PDF: summary and decision on page 1, the Anhang after the ranking on a new page;
    the demo's main part at most 6 pages. Screenshots and the PDF stay in ``tmp_path``."""
    name, page = layout_report
    pdf = tmp_path / f"{name}.pdf"
    _chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    shot = tmp_path / f"{name}.png"
    _chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.stat().st_size > 10_000
    pages = _pages(pdf)
    assert "Management-Zusammenfassung" in pages[0]
    assert "Wann lohnt sich ein Roboter?" in pages[0]
    ranking = next(i for i, p in enumerate(pages) if "Rangliste der Kandidaten" in p)
    appendix = next(i for i, p in enumerate(pages) if p.strip().startswith("Anhang"))
    assert appendix > ranking
    assert "Methodenanhang" in pages[appendix]
    assert all("Methodenanhang" not in p for p in pages[ranking:appendix])
    if name == "demo":
        assert appendix <= 6, f"main part is {appendix} pages"
        # the management summary is one page: its last item on page 1, the ranking next
        assert "Anteil der Standardfälle" in pages[0]
        assert pages[1].strip().startswith("Rangliste der Kandidaten")


@needs_pdftotext
def test_map_characters_in_the_pdf_are_at_least_7_pt(analysis, tmp_path) -> None:
    """pdfminer reads the size of every character of the map in the printed PDF."""
    pdfminer = pytest.importorskip("pdfminer.high_level", reason="pip install pdfminer.six")
    from pdfminer.layout import LTChar, LTTextContainer

    page = tmp_path / "karte.html"
    analysis.to_html(page)
    pdf = tmp_path / "karte.pdf"
    _chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    names = set(analysis.model.activities["activity"])
    sizes = []
    for layout in pdfminer.extract_pages(str(pdf)):
        lines = [x for x in layout if isinstance(x, LTTextContainer)]
        text = " ".join(x.get_text() for x in lines)
        if "Prozesslandkarte" not in text or "Start" not in text:
            continue
        for box in lines:
            for line in box:
                chars = [c for c in getattr(line, "_objs", []) if isinstance(c, LTChar)]
                content = "".join(c.get_text() for c in chars).strip()
                if any(content and content in n for n in names):
                    sizes += [c.size for c in chars if c.get_text().strip()]
    assert len(sizes) > 50, "no map labels found in the PDF"
    assert min(sizes) >= 6.9, f"smallest map character {min(sizes):.2f} pt"


def test_demo_fits_in_both_languages(report, tmp_path) -> None:
    """The demo in German and English at 1280 px: nothing broken, nothing scrolls."""
    path, lang, _ = report
    m = _measure(tmp_path, path, 1280)
    assert m["page_width"] <= m["viewport"]
    assert (m["broken"], m["narrow"], m["scroll"]) == ([], [], []), lang
    assert m["rows"]["candidate-table"]["max"] < 80
    assert m["rows"]["decision-table"]["max"] < 100
