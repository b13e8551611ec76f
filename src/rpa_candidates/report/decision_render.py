"""The decision box (break-even, shared bot) as Markdown lines and as an Excel sheet.

The figures come from :func:`rpa_candidates.report.decision.decision` (part of
``content.build``), so the Markdown, Excel and HTML reports show the same numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .i18n import Formatter

__all__ = ["decision_markdown", "decision_rows"]


def decision_rows(c: dict[str, Any], f: Formatter) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the decision table: top candidates, then routines (raw numbers).

    Columns: item, executions per year today, break-even executions per year, times
    today, payback months for each ``k`` of the scenario, towns needed within the horizon.
    """
    t, d = f.t, c["decision"]
    header = [
        t("decision.item"),
        t("decision.now"),
        t("abbr.break_even"),
        t("decision.factor"),
        *[f"{t('col.payback_months')}, k = {k}" for k in d["towns"]],
        t("decision.needed", horizon=f.num(d["horizon_months"])),
    ]
    rows = []
    items = [(r["activity"], r) for r in c["top"]]
    items += [
        (f"{t('decision.routine_label', routine=r['routine'])}: {r['steps']}", r)
        for r in c["routines"]
    ]
    for name, r in items:
        rows.append(
            [
                name,
                r["events_per_year"],
                r["break_even_executions_per_year"],
                r["volume_factor"],
                *[r["payback_towns"][k] for k in d["towns"]],
                r["towns_needed"],
            ]
        )
    return header, rows


def decision_markdown(c: dict[str, Any], f: Formatter, table: Any, escape: Any) -> list[str]:
    """The decision box as Markdown: the sentences, the table, the scenario's assumptions.

    ``table(header, rows, right)`` and ``escape(text)`` are the Markdown writer's helpers.
    """
    header, rows = decision_rows(c, f)
    never = f.t("decision.never")
    n_towns = len(c["decision"]["towns"])

    def months(v: Any) -> str:
        return never if v is None else f.num(v, 1)

    body = []
    for r in rows:
        name, now, be, factor, *paybacks, needed = r
        body.append(
            [
                escape(name),
                f.num(now),
                f.num(be),
                f.num(factor, 1),
                *[months(v) for v in paybacks],
                never if needed is None else f.num(needed),
            ]
        )
    return [
        f"### {f.t('decision.title')}",
        "",
        escape(" ".join(c["decision"]["sentences"])),
        "",
        table(header, body, set(range(1, 5 + n_towns))),
        "",
        f"*{escape(c['decision']['scenario'])}*",
    ]
