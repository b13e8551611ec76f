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
