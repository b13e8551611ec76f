"""Report texts: both languages complete, every key used exists; number formats."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

import rpa_candidates as rc
from rpa_candidates.report import Formatter
from rpa_candidates.report.content import HANDLING_SOURCES, KEY_ASSUMPTIONS
from rpa_candidates.report.excel import CANDIDATE_FORMATS, ROUTINE_FORMATS
from rpa_candidates.report.i18n import texts
from rpa_candidates.report.methodology import FORMULAS

REPORT = Path(rc.__file__).parent / "report"
_KEY = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_.]+)["']""")
_SECTIONS = re.compile(r"""\{%\s*for key in \[([^\]]+)\]""")


def _used_keys() -> set[str]:
    keys: set[str] = set()
    files = [*REPORT.glob("templates/*.j2"), *REPORT.glob("*.py")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        keys |= {k for k in _KEY.findall(text) if not k.endswith(".")}
        for group in _SECTIONS.findall(text):  # t("section." ~ key) over a literal list
            keys |= {f"section.{k}" for k in re.findall(r'"([a-z_]+)"', group)}
    keys |= {f"handling_source.{s}" for s in HANDLING_SOURCES}
    keys |= {f"source_code.{s}" for s in HANDLING_SOURCES}
    keys |= {f"assumption.{k}" for k in KEY_ASSUMPTIONS}
    keys |= {f"formula.{k}.{part}" for k in FORMULAS for part in ("title", "text")}
    keys |= {f"col.{k}" for k in [*CANDIDATE_FORMATS, *ROUTINE_FORMATS]}
    keys |= {"quality.given", "quality.guessed", "method.already_automated", "method.blend"}
    return keys


def test_templates_use_keys():
    keys = _used_keys()
    assert len(keys) > 100
    assert "section.summary" in keys
    assert "report.title" in keys


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_used_key_exists(lang):
    missing = sorted(_used_keys() - set(texts(lang)))
    assert not missing, f"{lang}.toml lacks {missing}"


def test_languages_have_the_same_keys_and_fields():
    de, en = texts("de"), texts("en")
    assert set(de) == set(en)
    for key in de:
        fields_de = set(re.findall(r"\{(\w+)\}", de[key]))
        assert fields_de == set(re.findall(r"\{(\w+)\}", en[key])), key
        assert de[key].strip(), key
        assert en[key].strip(), key


def test_toml_files_parse_and_templates_never_mark_data_safe():
    for lang in ("de", "en"):
        tomllib.loads((REPORT / "i18n" / f"{lang}.toml").read_text(encoding="utf-8"))
    for path in REPORT.glob("templates/*"):
        code = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert "|safe" not in code.replace(" ", ""), path


def test_unknown_key_raises():
    with pytest.raises(KeyError, match=r"no\.such"):
        Formatter("de").t("no.such.key")
    with pytest.raises(rc.ParameterError):
        Formatter("fr")


def test_german_number_formats():
    f = Formatter("de")
    assert f.num(12400) == "12.400"
    assert f.hours(1234.5) == "1.234,5 h"
    assert f.fte(3.2) == "3,2 VZÄ"
    assert f.fte(0.089) == "0,09 VZÄ"
    assert f.eur(40.7, 2) == "40,70 €"
    assert f.eur(5801.01) == "5.801 €"
    assert f.pct(0.913) == "91 %"
    assert f.date(date(2025, 1, 6)) == "06.01.2025"
    assert f.date("2026-02-02T06:22:46+00:00") == "02.02.2026"
    assert f.num(float("nan")) == f.hours(None) == f.eur(float("inf")) == "–"


def test_english_number_formats():
    f = Formatter("en")
    assert f.num(12400) == "12,400"
    assert f.hours(1234.5) == "1,234.5 h"
    assert f.fte(3.2) == "3.2 FTE"
    assert f.eur(40.7, 2) == "€40.70"
    assert f.eur(-1200) == "-€1,200"
    assert f.pct(0.913) == "91%"
    assert f.date(date(2025, 1, 6)) == "2025-01-06"
