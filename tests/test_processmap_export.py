"""Files of the discovered process: BPMN 2.0 (schema-valid, re-read by pm4py), PNG, SVG.

The BPMN 2.0 XSDs of the OMG (BPMN20.xsd, Semantic.xsd, BPMNDI.xsd, DC.xsd, DI.xsd) are
taken from the SpiffWorkflow package (dev extra), which ships them for its own validator.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import rpa_candidates as rc
from rpa_candidates.core._pm4py import pm4py_module

REPO = Path(__file__).resolve().parents[1]
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def _schema():
    spiff = pytest.importorskip("SpiffWorkflow", reason="pip install spiffworkflow (dev extra)")
    from lxml import etree

    folder = Path(spiff.__file__).parent / "bpmn" / "parser" / "schema"
    return etree.XMLSchema(etree.parse(str(folder / "BPMN20.xsd")))


@pytest.fixture(scope="module")
def models(sample_data) -> dict[str, rc.ProcessModel]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rc.DataQualityWarning)
        return {
            "wohngeld": rc.discover(rc.read_log(REPO / "sample_logs" / "wohngeld_export.csv")),
            "receipt": rc.discover(rc.read_log(sample_data / "receipt.xes.gz")),
        }


@pytest.mark.parametrize("name", ["wohngeld", "receipt"])
def test_bpmn_validates_against_the_bpmn_20_schema(models, name, tmp_path) -> None:
    from lxml import etree

    model = models[name]
    path = model.to_bpmn(tmp_path / f"{name}.bpmn")
    schema = _schema()
    document = etree.parse(str(path))
    assert schema.validate(document), schema.error_log
    root = document.getroot()
    tasks = {t.get("name") for t in root.iter(f"{BPMN}task")}
    assert tasks == set(model.activities["activity"])
    # a diagram for bpmn.io / Camunda Modeler: one shape per task at least
    shapes = root.findall(".//{http://www.omg.org/spec/BPMN/20100524/DI}BPMNShape")
    assert len(shapes) >= len(tasks)
    # every reference points at an element of the file
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    for flow in root.iter(f"{BPMN}sequenceFlow"):
        assert flow.get("sourceRef") in ids
        assert flow.get("targetRef") in ids


def test_bpmn_without_graphviz_is_written_unlaid_and_says_so(models, tmp_path, monkeypatch):
    """No ``dot`` on the PATH: a schema-valid file without layout and a RenderingWarning
    (it crashed inside graphviz before)."""
    from lxml import etree

    from rpa_candidates.mining import processmap_export

    monkeypatch.setattr(processmap_export.shutil, "which", lambda name: None)
    with pytest.warns(rc.RenderingWarning, match="Graphviz"):
        path = models["wohngeld"].to_bpmn(tmp_path / "plain.bpmn")
    document = etree.parse(str(path))
    assert _schema().validate(document)
    tasks = {t.get("name") for t in document.getroot().iter(f"{BPMN}task")}
    assert tasks == set(models["wohngeld"].activities["activity"])


def test_schema_check_can_fail(models, tmp_path) -> None:
    """A file with a broken sequence flow is rejected by the same schema."""
    from lxml import etree

    path = models["wohngeld"].to_bpmn(tmp_path / "w.bpmn")
    document = etree.parse(str(path))
    flow = next(document.getroot().iter(f"{BPMN}sequenceFlow"))
    del flow.attrib["sourceRef"]
    assert not _schema().validate(document)


def test_bpmn_is_reread_by_pm4py_and_reproducible(models, tmp_path) -> None:
    model = models["receipt"]
    first = model.to_bpmn(tmp_path / "a.bpmn")
    second = model.to_bpmn(tmp_path / "b.bpmn")
    assert first.read_bytes() == second.read_bytes()
    again = pm4py_module().read_bpmn(str(first))
    names = {n.get_name() for n in again.get_nodes()}
    assert set(model.activities["activity"]) <= names
    assert len(again.get_nodes()) == len(model.bpmn.get_nodes())
    assert len(again.get_flows()) == len(model.bpmn.get_flows())


def test_map_as_png_and_svg(models, tmp_path) -> None:
    import matplotlib.image

    model = models["receipt"]
    png = model.to_png(tmp_path / "map.png", dpi=100)
    pixels = matplotlib.image.imread(png)[..., :3]
    assert pixels.shape[1] == 700  # 7.0 in at 100 dpi: A4 width less margins and padding
    assert (pixels.min(axis=2) < 0.85).mean() > 0.02
    svg = model.to_svg(tmp_path / "map.svg")
    assert (tmp_path / "map.svg").read_text(encoding="utf-8") == svg
    assert "<svg" in svg
