"""``ProcessModel``: the discovered process of one log, computed once, rendered many times.

The map itself is drawn in :mod:`rpa_candidates.mining.processmap`; :func:`discover`
(:mod:`rpa_candidates.mining.discovery`) builds the model.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

if TYPE_CHECKING:
    import matplotlib.figure

__all__ = ["ARROW", "ProcessModel", "fitness_summary"]

#: How a variant is written as one string (``variants["variant"]`` holds tuples).
ARROW = " → "


@dataclass(frozen=True, repr=False, eq=False)
class ProcessModel:
    """The discovered process of one log; computed once by :func:`discover`.

    Attributes
    ----------
    dfg : pandas.DataFrame
        One row per directly-follows relation ``source → target``: ``source``, ``target``,
        ``frequency`` (how often ``target`` directly follows ``source`` in a case) and
        ``median_wait_seconds`` (median of :math:`b_{start} - a_{end}`, see
        :func:`discover`). Most frequent first.
    start_activities, end_activities : pandas.DataFrame
        ``activity``, ``count``: the cases starting (ending) with the activity.
    variants : pandas.DataFrame
        ``variant`` (tuple of activities), ``cases``, ``share`` (``cases / n_cases``), most
        frequent first.
    activities : pandas.DataFrame
        ``activity``, ``frequency`` (activity instances), most frequent first.
    process_tree : pm4py.objects.process_tree.obj.ProcessTree
    petri_net : tuple
        ``(net, initial_marking, final_marking)``.
    bpmn : pm4py.objects.bpmn.obj.BPMN
    fitness : dict
        Fitness and how it was measured (``method``, ``stopped_by``), see :func:`discover`.
    noise : float
        The noise threshold used.
    miner : {"IM", "IMf", "IMd"}
        The inductive-miner variant that built the tree (``"IMd"`` ignores ``noise``).
    n_cases, n_events : int
    """

    dfg: pd.DataFrame
    start_activities: pd.DataFrame
    end_activities: pd.DataFrame
    variants: pd.DataFrame
    activities: pd.DataFrame
    process_tree: Any
    petri_net: tuple[Any, Any, Any]
    bpmn: Any
    fitness: dict[str, float]
    noise: float
    miner: str
    n_cases: int
    n_events: int

    def figure(
        self,
        *,
        color_by: Mapping[str, float] | pd.Series | None = None,
        cmap: str = "YlGn",
        top_edges: int | None = None,
        lang: Literal["de", "en"] = "de",
        max_activities: int | Literal["default"] | None = "default",
        max_rows: int | Literal["default"] | None = "default",
    ) -> matplotlib.figure.Figure:
        """Draw the process map with matplotlib (no Graphviz needed), readable on A4.

        Activities are boxes laid out top to bottom in layers (longest path from the start
        activities after removing the back edges of a depth-first search); each edge is
        an arrow whose width grows with its frequency, labelled with the frequency where
        the label has room. Every text is 7 pt and the figure is 7.0 in wide, so printed
        on A4 it keeps that size; beyond ``max_activities`` or ``max_rows`` only the most
        frequent activities are drawn and the figure says how many are left out
        (:mod:`rpa_candidates.mining.processmap_draw`, ``data/processmap.toml``).

        Parameters
        ----------
        color_by : mapping or pandas.Series, default=None
            A number per activity (e.g. automatability); boxes are coloured by it and a
            colour bar is added. Activities without a value stay grey.
        cmap : str, default="YlGn"
            A matplotlib colormap name.
        top_edges : int, default=None
            Draw only the ``top_edges`` most frequent edges among the drawn activities
            (None: each activity's strongest in- and outgoing edge, then the most
            frequent others, at most 1.5 per activity).
        lang : {"de", "en"}, default="de"
            Language of the labels.
        max_activities : int or None, default="default"
            At most this many activities, the most frequent (``"default"``: 30 from
            ``data/processmap.toml``; None: all).
        max_rows : int or None, default="default"
            Fewer activities while the layout needs more rows (``"default"``: 12, one
            A4 page; None: no limit).

        Returns
        -------
        matplotlib.figure.Figure
            One patch per drawn activity (``ax.patches``, ``gid="activity:<name>"``);
            ``fig.rc_map`` is the :class:`~rpa_candidates.mining.processmap_draw.MapSelection`
            drawn (activities, edges, ``hidden`` activities).
        """
        from .processmap_draw import draw_top_down

        return draw_top_down(
            self,
            color_by=color_by,
            cmap=cmap,
            top_edges=top_edges,
            lang=lang,
            max_activities=max_activities,
            max_rows=max_rows,
        )

    def to_png(self, path: str | Path, *, dpi: int = 200, **options: Any) -> Path:
        """Save the process map (:meth:`figure`, same keyword options) as a PNG file.

        Returns the path written.
        """
        from .processmap_export import figure_png

        return figure_png(self.figure(**options), path, dpi=dpi)

    def to_bpmn(self, path: str | Path) -> Path:
        """Write the discovered BPMN model (:attr:`bpmn`) as BPMN 2.0 XML with a diagram.

        pm4py's writer (``pm4py.write_bpmn``, with its layout) produces the file; it
        opens in bpmn.io and the Camunda Modeler, and it validates against the OMG
        BPMN 2.0 schema (``tests/test_processmap_export.py``).

        Returns the path written.
        """
        from .processmap_export import write_bpmn

        return write_bpmn(self.bpmn, path)

    def to_dot(
        self,
        *,
        color_by: Mapping[str, float] | pd.Series | None = None,
        cmap: str = "YlGn",
        top_edges: int | None = None,
        lang: Literal["de", "en"] = "de",
        max_activities: int | Literal["default"] | None = "default",
    ) -> str:
        """The process map as Graphviz DOT source, top to bottom (activity names escaped).

        Parameters are those of :meth:`figure`.
        """
        from .processmap import to_dot

        return to_dot(
            self,
            color_by=color_by,
            cmap=cmap,
            top_edges=top_edges,
            lang=lang,
            max_activities=max_activities,
        )

    def to_svg(
        self,
        path: str | None = None,
        *,
        color_by: Mapping[str, float] | pd.Series | None = None,
        cmap: str = "YlGn",
        top_edges: int | None = None,
        lang: Literal["de", "en"] = "de",
        max_activities: int | Literal["default"] | None = "default",
    ) -> str:
        """The process map as SVG, written to ``path`` when given.

        With Graphviz's ``dot`` on the ``PATH`` the map is laid out by Graphviz
        (``dot -Tsvg`` on :meth:`to_dot`, 60 s timeout); without it, or if ``dot`` fails
        (a warning says so), the matplotlib :meth:`figure` is saved as SVG with text kept
        as text.

        Parameters
        ----------
        path : str or path-like, default=None
            File to write (UTF-8).
        color_by, cmap, top_edges, lang, max_activities
            As in :meth:`figure`.

        Returns
        -------
        str
            The SVG document.
        """
        from .processmap import to_svg

        return to_svg(
            self,
            path,
            color_by=color_by,
            cmap=cmap,
            top_edges=top_edges,
            lang=lang,
            max_activities=max_activities,
        )

    def __repr__(self) -> str:
        fit = self.fitness.get("log_fitness", float("nan"))
        return (
            f"ProcessModel({len(self.activities)} activities, {len(self.dfg)} edges, "
            f"{len(self.variants):,} variants of {self.n_cases:,} cases, "
            f"{self.miner} noise={self.noise:g}, fitness={fit:.3f}; "
            "see .figure(), .to_svg(), .to_bpmn(), .dfg, .variants)"
        )

    def _repr_html_(self) -> str:
        f = self.fitness
        top = self.variants.head(3)
        rows = [
            ("Cases / activity instances", f"{self.n_cases:,} / {self.n_events:,}"),
            ("Activities / edges", f"{len(self.activities)} / {len(self.dfg)}"),
            ("Variants", f"{len(self.variants):,}"),
            ("Miner", f"{self.miner}, noise = {self.noise:g}"),
            ("Fitness", fitness_summary(f)),
        ]
        rows += [
            (f"Variant {i + 1} ({r.share:.1%})", ARROW.join(r.variant))
            for i, r in enumerate(top.itertuples())
        ]
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        return f"<table><caption>ProcessModel</caption>{body}</table>"


def fitness_summary(fitness: dict[str, Any]) -> str:
    """One line on the fitness and how it was measured (method, sample, bound)."""
    f = fitness
    if f.get("method") == "footprints":
        return (
            f"{f['log_fitness']:.3f} (footprint fitness on the DFG: the net is too large for "
            "token replay within the budget of data/mining.toml)"
        )
    if f.get("stopped_by") == "sample":
        head = f.get("variants_replayed", 0) - f.get("variants_sampled", 0)
        return (
            f"{f['log_fitness']:.3f} ± {f.get('standard_error', 0.0):.3f} (token replay of "
            f"the {head:,} most frequent of {f.get('variants_total', 0):,} variants and a "
            f"random sample of {f.get('variants_sampled', 0):,} of the other "
            f"{f.get('tail_variants', 0):,}, weighted up to all cases; "
            f"fitting cases {f['perc_fit_traces']:.1f} %)"
        )
    cut = {
        "variants": "the most frequent variants only",
        "checks": "within the check budget",
        "time": "stopped by the time budget",
    }.get(f.get("stopped_by") or "", "every variant")
    return (
        f"{f['log_fitness']:.3f} (token replay of {f.get('variants_replayed', 0):,} of "
        f"{f.get('variants_total', 0):,} variants, {cut}: {f['case_coverage']:.1%} of cases; "
        f"fitting cases {f['perc_fit_traces']:.1f} %)"
    )
