"""Process discovery: DFG, variants, inductive miner, Petri net, BPMN and fitness.

Everything that grows with the number of events (directly-follows counts, waiting times,
start and end activities, variants) is computed on the canonical frame, in narwhals
(polars or Spark). pm4py, imported lazily through
:func:`rpa_candidates._pm4py.pm4py_module`, only ever sees these small aggregates:

* the inductive miner runs on the **variant log** (each distinct activity sequence once,
  with its number of cases), which for pm4py's IMf is the same input as the full log, so
  the tree is identical to ``pm4py.discover_process_tree_inductive(log.df, noise)``;
  past :data:`MAX_MINING_VARIANTS` variants it runs IMd on the **DFG** instead (pm4py's
  IMd takes no noise threshold);
* token-based replay runs once per distinct variant and is weighted by the variant's
  cases, which gives pm4py's log fitness exactly while replaying
  :math:`\\#\\text{variants}` instead of :math:`\\#\\text{cases}` traces.

The process map (``ProcessModel.figure`` and ``ProcessModel.to_svg``) is drawn in
:mod:`rpa_candidates.processmap`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw
import pandas as pd

from . import engine
from ._pm4py import pm4py_module
from ._pm4py_discovery import mine_tree, replay_fitness
from .errors import ParameterError

if TYPE_CHECKING:
    import matplotlib.figure

    from .eventlog import EventLog

__all__ = [
    "MAX_MINING_VARIANTS",
    "MAX_REPLAY_CHECKS",
    "MAX_REPLAY_VARIANTS",
    "ProcessModel",
    "discover",
]

#: Beyond this many distinct variants the miner runs IMd on the DFG (no noise filter).
MAX_MINING_VARIANTS = 20_000
#: Token-based replay replays at most this many variants, the most frequent first.
MAX_REPLAY_VARIANTS = 2_000
#: ... and at most this many transition checks: pm4py's token replay tests every
#: transition of the net at every replayed event, so a variant costs its length times the
#: net's transitions (≈ 2 µs a check: 10 M ≈ 20 s). The real sample logs need at most
#: 2.6 M (BPI Challenge 2012: 55 transitions, 2,000 variants); a log of 10,000 distinct
#: activities needs 10⁸ (116 s for rc.analyze before this cap).
MAX_REPLAY_CHECKS = 10_000_000
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
        Token-based replay fitness, see :func:`discover`.
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
        (:mod:`rpa_candidates.processmap_draw`, ``data/processmap.toml``).

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
            ``fig.rc_map`` is the :class:`~rpa_candidates.processmap_draw.MapSelection`
            drawn (activities, edges, ``hidden`` activities).
        """
        from .processmap import draw_figure

        return draw_figure(
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
            (
                "Fitness (token replay)",
                f"{f['log_fitness']:.3f}; fitting cases {f['perc_fit_traces']:.1f} %; "
                f"replayed {f['case_coverage']:.1%} of cases",
            ),
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


def discover(log: EventLog, *, noise: float = 0.2) -> ProcessModel:
    """Discover the process of ``log``: DFG, variants, process tree, Petri net, BPMN, fitness.

    With events :math:`e_1, \\dots, e_n` of a case ordered by completion time (ties by
    reading order), completion times :math:`t_i` and start times :math:`s_i`:

    * DFG frequency: :math:`|\\{i : (act(e_i), act(e_{i+1})) = (a, b)\\}|` over all cases;
    * waiting time of an edge occurrence: :math:`w_i = s'_{i+1} - t_i` with
      :math:`s'_{i+1} = s_{i+1}` where a start time exists, else :math:`t_{i+1}`; the DFG
      reports the median :math:`\\tilde w` per edge in seconds (negative when the next
      activity started before this one ended);
    * a variant is a case's activity sequence :math:`(act(e_1), \\dots, act(e_n))`;
      ``share`` = cases of the variant / all cases;
    * process tree: pm4py's inductive miner, IMf with ``noise_threshold=noise`` (IM when
      ``noise == 0``) on the variant log; IMd on the DFG past
      :data:`MAX_MINING_VARIANTS` variants;
    * fitness: token-based replay of each variant once (at most
      :data:`MAX_REPLAY_VARIANTS` and :data:`MAX_REPLAY_CHECKS`, the most frequent first),
      weighted by its cases :math:`c_v`.
      With missing, consumed, remaining and produced tokens :math:`m_v, c'_v, r_v, p_v`
      and trace fitness :math:`f_v`:

      .. math::

         \\text{log\\_fitness} = \\tfrac12\\Bigl(1 - \\frac{\\sum_v c_v m_v}{\\sum_v c_v c'_v}
         \\Bigr) + \\tfrac12\\Bigl(1 - \\frac{\\sum_v c_v r_v}{\\sum_v c_v p_v}\\Bigr),
         \\quad
         \\text{average\\_trace\\_fitness} = \\frac{\\sum_v c_v f_v}{\\sum_v c_v}

      which equals pm4py's ``fitness_token_based_replay`` on the full log when every
      variant is replayed.

    Parameters
    ----------
    log : EventLog
        A log from :func:`rpa_candidates.read_log`.
    noise : float, default=0.2
        IMf noise threshold in [0, 1): where no cut is found, IMf drops a
        directly-follows edge rarer than ``noise`` times the most frequent edge (or end)
        leaving the same activity, and tries again. ``0`` runs IM, which fits every case.

    Returns
    -------
    ProcessModel
        ``fitness`` holds ``log_fitness``, ``average_trace_fitness`` (both 0–1),
        ``perc_fit_traces`` (percent of replayed cases that fit, 0–100, as in pm4py),
        ``case_coverage`` (share of cases replayed), ``variants_replayed`` and
        ``variants_total``.

    Raises
    ------
    ParameterError
        If ``noise`` is outside [0, 1).

    See Also
    --------
    pm4py.discover_process_tree_inductive, pm4py.fitness_token_based_replay

    References
    ----------
    Leemans, Fahland, van der Aalst (2014). Discovering block-structured process models
    from event logs containing infrequent behaviour. BPM 2013 Workshops, LNBIP 171,
    66–78. doi:10.1007/978-3-319-06257-0_6

    Examples
    --------
    >>> import rpa_candidates as rc
    >>> from rpa_candidates.mining import discover
    >>> log = rc.read_log(rc.synth.simulate("wohngeld", n_cases=100, seed=1).events)
    >>> model = discover(log)
    >>> int(model.dfg["frequency"].sum()) == log.n_events - log.n_cases
    True
    """
    if isinstance(noise, bool) or not isinstance(noise, int | float) or not 0 <= noise < 1:
        raise ParameterError(
            f"noise must be a number in [0, 1), got {noise!r}; e.g. discover(log, noise=0.2)."
        )
    dfg, starts, ends, activities = _dfg_tables(log)
    variants = _variants(log)
    n_cases = int(variants["cases"].sum())
    variants["share"] = variants["cases"] / n_cases if n_cases else 0.0

    tree, miner = mine_tree(
        variants, dfg, starts, ends, noise=float(noise), max_variants=MAX_MINING_VARIANTS
    )
    pm4py = pm4py_module()
    petri_net = pm4py.convert_to_petri_net(tree)
    bpmn = pm4py.convert_to_bpmn(tree)
    fitness = replay_fitness(
        variants, petri_net, max_variants=MAX_REPLAY_VARIANTS, max_checks=MAX_REPLAY_CHECKS
    )
    return ProcessModel(
        dfg=dfg,
        start_activities=starts,
        end_activities=ends,
        variants=variants,
        activities=activities,
        process_tree=tree,
        petri_net=petri_net,
        bpmn=bpmn,
        fitness=fitness,
        noise=float(noise),
        miner=miner,
        n_cases=n_cases,
        n_events=int(activities["frequency"].sum()),
    )


def _dfg_tables(
    log: EventLog,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """DFG, start activities, end activities and activity counts from the prepared events.

    Over :func:`rpa_candidates.engine.prepare_events` (its ``prev_activity``,
    ``next_activity`` and ``prev_case_ts`` windows are computed once per log): one
    ``group_by(activity, next_activity)`` gives the edges (``next_activity`` set), the end
    activities (``next_activity`` null), the start activities (instances without a
    predecessor) and the activity frequencies (sum of all counts); the waits are taken
    from the target's row, ``begin(e) − prev_case_ts(e)`` grouped by
    ``(prev_activity, activity)`` — the same occurrences as ``s'_{i+1} − t_i``.
    """
    prepared = engine.prepare_events(log)
    pairs = engine.collect(
        prepared.group_by("activity", "next_activity").agg(
            nw.len().alias("frequency"),
            nw.col("prev_activity").is_null().cast(nw.Int64).sum().alias("starts"),
        ),
        sort=None,
    )
    begin = nw.coalesce(nw.col("start_ts"), nw.col("ts"))
    waits = engine.collect(
        prepared.filter(~nw.col("prev_activity").is_null())
        .group_by("prev_activity", "activity")
        .agg((begin - nw.col("prev_case_ts")).median().alias("median_wait_seconds"))
        .rename({"prev_activity": "activity", "activity": "next_activity"}),
        sort=None,
    )
    pairs = pairs.merge(waits, on=["activity", "next_activity"], how="left")
    pairs["frequency"] = pairs["frequency"].astype("int64")
    is_edge = pairs["next_activity"].notna()

    dfg = pairs.loc[is_edge, ["activity", "next_activity", "frequency", "median_wait_seconds"]]
    dfg = dfg.rename(columns={"activity": "source", "next_activity": "target"})
    dfg = _ranked(
        dfg.astype({"source": object, "target": object}), "frequency", ["source", "target"]
    )
    dfg["median_wait_seconds"] = dfg["median_wait_seconds"].astype("float64")

    ends = pairs.loc[~is_edge, ["activity", "frequency"]].rename(columns={"frequency": "count"})
    per_activity = pairs.groupby("activity", sort=False).agg(
        frequency=("frequency", "sum"), starts=("starts", "sum")
    )
    per_activity = per_activity.reset_index()
    starts = per_activity.loc[per_activity["starts"] > 0, ["activity", "starts"]].rename(
        columns={"starts": "count"}
    )
    activities = per_activity[["activity", "frequency"]]
    return (
        dfg,
        _ranked(starts.astype({"activity": object, "count": "int64"}), "count", ["activity"]),
        _ranked(ends.astype({"activity": object, "count": "int64"}), "count", ["activity"]),
        _ranked(
            activities.astype({"activity": object, "frequency": "int64"}), "frequency", ["activity"]
        ),
    )


def _ranked(frame: pd.DataFrame, count: str, keys: list[str]) -> pd.DataFrame:
    """Most frequent first, ties by name; fresh index."""
    return frame.sort_values(
        [count, *keys], ascending=[False] + [True] * len(keys), kind="stable"
    ).reset_index(drop=True)


def _variants(log: EventLog) -> pd.DataFrame:
    """``variant`` (tuple), ``cases``: each case's activity sequence, counted.

    narwhals has no ordered string/list aggregation, so the per-case sequences are built
    natively: polars ``group_by(case_id).agg(activity.sort_by(ts, row))`` then a
    ``group_by`` on the list column; on Spark ``sort_array(collect_list(struct(ts, row,
    activity)))``. Python only touches the distinct variants, never the cases.
    """
    counts = engine.variant_counts(log)
    frame = pd.DataFrame(
        {"variant": [tuple(v) for v in counts["variant"]], "cases": counts["cases"]}
    )
    frame["cases"] = frame["cases"].astype("int64")
    frame["_key"] = [ARROW.join(v) for v in frame["variant"]]
    frame = frame.sort_values(["cases", "_key"], ascending=[False, True], kind="stable")
    return frame.drop(columns="_key").reset_index(drop=True)
