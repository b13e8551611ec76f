"""Files of the discovered process: the map as PNG, the model as BPMN 2.0 XML (stage: mining/).

:func:`write_bpmn` lets pm4py's writer (``pm4py.write_bpmn`` with its automatic layout, so
the file carries a diagram, ``bpmndi:BPMNDiagram``) produce the XML, then renames pm4py's
random ``id<uuid>`` identifiers to ``n1, n2, …`` in document order, so the same model
always gives the same bytes. The file opens in bpmn.io and the Camunda Modeler and
validates against the OMG BPMN 2.0 XSD (checked in ``tests/test_processmap_export.py``
with the schema files that the SpiffWorkflow package ships).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core._pm4py import pm4py_module
from ..core.errors import RenderingWarning

if TYPE_CHECKING:
    import matplotlib.figure

__all__ = ["figure_png", "write_bpmn"]

#: The attributes of BPMN 2.0 / BPMN DI that hold a reference to an element id.
_REF_ATTRIBUTES = ("sourceRef", "targetRef", "bpmnElement", "processRef", "default")
#: The elements whose text is an element id.
_REF_ELEMENTS = ("incoming", "outgoing", "sourceRef", "targetRef")


def figure_png(fig: matplotlib.figure.Figure, path: str | Path, *, dpi: int = 200) -> Path:
    """Save ``fig`` as PNG at ``dpi`` (no time stamp in the file); return the path."""
    target = Path(path)
    fig.savefig(target, format="png", dpi=dpi, metadata={"Software": None})
    return target


def _renumber(xml: str) -> str:
    """Replace every element id by ``n1, n2, …`` (document order) and every reference."""
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"))
    mapping: dict[str, str] = {}
    for element in root.iter():
        old = element.get("id")
        if old is not None and old not in mapping:
            mapping[old] = f"n{len(mapping) + 1}"
    for element in root.iter():
        if element.get("id") in mapping:
            element.set("id", mapping[element.get("id")])
        for name in _REF_ATTRIBUTES:
            value = element.get(name)
            if value is not None and value in mapping:
                element.set(name, mapping[value])
        local = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if local in _REF_ELEMENTS and element.text and element.text.strip() in mapping:
            element.text = mapping[element.text.strip()]
    out = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return out.decode("utf-8")


def write_bpmn(bpmn: Any, path: str | Path) -> Path:
    """Write a pm4py BPMN object as BPMN 2.0 XML with diagram information.

    The diagram is laid out by Graphviz (pm4py's BPMN layouter runs ``dot``); without
    Graphviz on the ``PATH`` the file is written with pm4py's default positions and a
    :class:`~rpa_candidates.RenderingWarning` says how to get the layout.

    Parameters
    ----------
    bpmn : pm4py.objects.bpmn.obj.BPMN
        E.g. :attr:`rpa_candidates.ProcessModel.bpmn`.
    path : str or Path
        The ``.bpmn`` file to write (UTF-8).

    Returns
    -------
    Path
        ``path``.
    """
    pm4py = pm4py_module()
    target = Path(path)
    layout = shutil.which("dot") is not None
    if not layout:
        warnings.warn(
            f"Graphviz (dot) is not installed: {target.name} is written without a laid-out "
            "diagram (every element at pm4py's default position). Install Graphviz "
            "(https://graphviz.org/download/, Debian: apt-get install graphviz) for the "
            "layout.",
            RenderingWarning,
            stacklevel=2,
        )
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "model.bpmn"
        pm4py.write_bpmn(bpmn, str(raw), auto_layout=layout)
        xml = raw.read_text(encoding="utf-8")
    xml = re.sub(r"^<\?xml[^>]*\?>\s*", "", xml)
    target.write_text(_renumber(xml), encoding="utf-8")
    return target
