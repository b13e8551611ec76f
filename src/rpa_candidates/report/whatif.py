"""The optional report section "Was wäre wenn / What if" (a :class:`~rpa_candidates.WhatIf`).

Self-contained: each output format calls one function here when the user passes a
``what_if`` result (``Analysis.to_html(..., what_if=w)`` etc.). Numbers come from the
``WhatIf`` tables; texts from ``i18n/*.toml`` (``[whatif]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .i18n import Formatter

if TYPE_CHECKING:
    from markupsafe import Markup
    from matplotlib.figure import Figure

    from ..whatif import WhatIf

__all__ = ["excel_sheet", "figure", "html_section", "json_part", "markdown_section", "rows"]


def rows(w: WhatIf) -> dict[str, list[dict[str, Any]]]:
    """The section's tables as plain records: ``scenarios`` and ``roles``."""
    frame = w.to_frame()
    load = w.workload
    roles = []
    for role in w.pools["role"]:
        a = load[(load["role"] == role) & (load["scenario"] == "as_is")].iloc[0]
        b = load[(load["role"] == role) & (load["scenario"] == "to_be")].iloc[0]
        roles.append(
            {
                "role": role,
                "servers": int(a["servers"]),
                "hours_as_is": float(a["busy_hours_per_year"]),
                "hours_to_be": float(b["busy_hours_per_year"]),
                "util_as_is": float(a["utilisation"]),
                "util_to_be": float(b["utilisation"]),
            }
        )
    return {"scenarios": frame.to_dict("records"), "roles": roles}


def _min_members() -> int:
    from ..core._data import load_toml

    return int(load_toml("whatif.toml")["min_role_members"]["value"])


def _texts(w: WhatIf, f: Formatter) -> dict[str, str]:
    s = {r["scenario"]: r for r in rows(w)["scenarios"]}
    return {
        "title": f.t("whatif.title"),
        "intro": f.t(
            "whatif.intro",
            steps=", ".join(w.automated),
            runs=f.num(w.runs),
            before=f.num(s["as_is"]["cycle_median_days"], 1),
            after=f.num(s["to_be"]["cycle_median_days"], 1),
            freed=f.num(s["to_be"]["freed_hours_per_year"]),
        ),
        "note": f.t("whatif.note")
        + (
            " " + f.t("whatif.small_roles", roles=", ".join(w.small_roles), n=f.num(_min_members()))
            if w.small_roles
            else ""
        ),
    }


def _scenario_cells(w: WhatIf, f: Formatter) -> tuple[list[str], list[list[str]]]:
    head = [
        f.t("whatif.scenario"),
        f.t("whatif.cycle_median"),
        f.t("whatif.cycle_p90"),
        f.t("whatif.human_hours"),
        f.t("whatif.freed_hours"),
    ]
    body = []
    for r in rows(w)["scenarios"]:
        body.append(
            [
                f.t(f"whatif.{r['scenario']}"),
                f"{f.num(r['cycle_median_days'], 1)} ({f.num(r['cycle_median_low'], 1)}–"
                f"{f.num(r['cycle_median_high'], 1)})",
                f"{f.num(r['cycle_p90_days'], 1)} ({f.num(r['cycle_p90_low'], 1)}–"
                f"{f.num(r['cycle_p90_high'], 1)})",
                f.num(r["human_hours_per_year"]),
                f.num(r["freed_hours_per_year"]),
            ]
        )
    return head, body


def _role_cells(w: WhatIf, f: Formatter) -> tuple[list[str], list[list[str]]]:
    head = [
        f.t("whatif.role"),
        f.t("whatif.servers"),
        f.t("whatif.busy_as_is"),
        f.t("whatif.busy_to_be"),
        f.t("whatif.util_as_is"),
        f.t("whatif.util_to_be"),
    ]
    body = [
        [
            r["role"],
            f.num(r["servers"]),
            f.num(r["hours_as_is"]),
            f.num(r["hours_to_be"]),
            f.pct(r["util_as_is"]),
            f.pct(r["util_to_be"]),
        ]
        for r in rows(w)["roles"]
    ]
    return head, body


def figure(w: WhatIf, lang: str) -> Figure:
    """Before/after chart: cycle time (median and P90 with intervals), hours per role."""
    import numpy as np
    from matplotlib.figure import Figure

    f = Formatter(lang)  # type: ignore[arg-type]
    fig = Figure(figsize=(7.5, 3.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    ct = w.cycle_times
    x = np.arange(2)
    for k, sc in enumerate(("as_is", "to_be")):
        sub = ct[ct["scenario"] == sc].set_index("statistic").loc[["median", "p90"]]
        err = [sub["days"] - sub["days_low"], sub["days_high"] - sub["days"]]
        left.bar(x + (k - 0.5) * 0.38, sub["days"], 0.38, yerr=err, label=f.t(f"whatif.{sc}"))
    left.set_xticks(x, [f.t("whatif.cycle_median"), f.t("whatif.cycle_p90")])
    left.set_ylabel(f.t("whatif.days"))
    left.legend(frameon=False)
    roles = rows(w)["roles"]
    y = np.arange(len(roles))
    right.barh(y - 0.2, [r["hours_as_is"] for r in roles], 0.4, label=f.t("whatif.as_is"))
    right.barh(y + 0.2, [r["hours_to_be"] for r in roles], 0.4, label=f.t("whatif.to_be"))
    right.set_yticks(y, [str(r["role"])[:28] for r in roles])
    right.invert_yaxis()
    right.set_xlabel(f.t("whatif.hours_per_year"))
    for ax in (left, right):
        for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
            label.set_usetex(False)
            label.set_parse_math(False)
    return fig


def html_section(w: WhatIf, lang: str, environment: Any) -> Markup:
    """The section as HTML (escaped by Jinja; the chart through ``svg_markup``);
    ``environment`` makes the report's Jinja2 environment (:func:`.html.environment`)."""
    from .charts import svg_markup

    f = Formatter(lang)  # type: ignore[arg-type]
    sh, sb = _scenario_cells(w, f)
    rh, rb = _role_cells(w, f)
    from markupsafe import Markup

    text = (
        environment()
        .get_template("_whatif.html.j2")
        .render(
            x=_texts(w, f),
            chart=svg_markup(figure(w, lang), "whatif"),
            scen_head=sh,
            scen_body=sb,
            role_head=rh,
            role_body=rb,
        )
    )
    return Markup(text)  # rendered with autoescape; the chart was checked by svg_markup


def markdown_section(w: WhatIf, lang: str) -> list[str]:
    """The section as Markdown lines."""
    from .mdtable import md_escape

    f = Formatter(lang)  # type: ignore[arg-type]
    x = _texts(w, f)

    def table(head: list[str], body: list[list[str]]) -> list[str]:
        out = ["| " + " | ".join(md_escape(h) for h in head) + " |"]
        out.append("|" + "---|" * len(head))
        out += ["| " + " | ".join(md_escape(str(c)) for c in row) + " |" for row in body]
        return out

    return [
        f"## {md_escape(x['title'])}",
        "",
        md_escape(x["intro"]),
        "",
        *table(*_scenario_cells(w, f)),
        "",
        *table(*_role_cells(w, f)),
        "",
        md_escape(x["note"]),
        "",
    ]


def excel_sheet(wb: Any, w: WhatIf, f: Formatter, sheet: Any) -> None:
    """Add the sheet "Was wäre wenn" / "What if" with both tables; ``sheet`` writes one
    sheet (:func:`.excel._sheet`)."""

    sh, sb = _scenario_cells(w, f)
    rh, rb = _role_cells(w, f)
    width = max(len(sh), len(rh))
    pad = [""] * width
    body = [[*r, *pad][:width] for r in sb] + [pad] + [[*rh, *pad][:width]]
    body += [[*r, *pad][:width] for r in rb]
    sheet(wb, f.t("whatif.title"), [*sh, *pad][:width], body, ["text"] * width, f)


def json_part(w: WhatIf) -> dict[str, Any]:
    """The ``"what_if"`` entry of the JSON report."""
    return {
        "automated": list(w.automated),
        "runs": w.runs,
        "seed": w.seed,
        **rows(w),
        "validation": w.validation.to_dict("records"),
    }
