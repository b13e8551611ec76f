"""The report as Markdown (GitHub-flavoured tables), for wikis, tickets and e-mails.

Same content as the HTML report without the charts. Every text from the data is escaped
(:func:`md_escape`): Markdown control characters get a backslash and ``<``, ``>``, ``&``
become entities, so an activity name can neither break a table nor inject HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from .content import build
from .decision_render import decision_markdown
from .i18n import Formatter, check_lang
from .mdtable import _table, md_escape

if TYPE_CHECKING:
    from ..results import AnalysisResult as Analysis
    from ..results import ComparisonResult as Comparison

__all__ = ["md_escape", "render_comparison_markdown", "render_markdown"]


def _summary(c: dict[str, Any], f: Formatter) -> list[str]:
    t, tot, level = f.t, c["totals"], f.pct(c["confidence"])
    out = [f"## {t('section.summary')}", ""]
    out.append(
        md_escape(
            t("summary.intro", n=f.num(tot["candidates"]), activities=f.num(c["log"]["activities"]))
        )
    )
    out.append("")
    out += [
        f"- **{t('summary.hours')}:** {f.hours(tot['relief_hours_per_year'], 0)} "
        f"({t('summary.interval', level=level)}: {f.hours(tot['relief_hours_low'], 0)} – "
        f"{f.hours(tot['relief_hours_high'], 0)})",
        f"- **{t('summary.fte')}:** {f.fte(tot['relief_fte'])} "
        f"({t('summary.interval', level=level)}: "
        f"{f.interval(tot['relief_fte_low'], tot['relief_fte_high'], 'fte')})",
        f"- **{t('summary.eur')}:** {f.eur(tot['relief_eur_per_year'])} "
        f"({t('summary.interval', level=level)}: "
        f"{f.interval(tot['relief_eur_low'], tot['relief_eur_high'], 'eur')})",
        "",
        f"*{md_escape(t('summary.interval_note'))}*",
        "",
    ]
    if c["plausibility"]["unmeasured"]:
        n = f.num(c["plausibility"]["unmeasured"])
        out += [f"> {md_escape(t('summary.unmeasured', n=n))}", ""]
    if c["plausibility"]["excluded"]:
        n = f.num(len(c["plausibility"]["excluded"]))
        out += [f"> {md_escape(t('summary.excluded', n=n))}", ""]
    out += [
        f"### {t('summary.top')}",
        "",
    ]
    for i, r in enumerate(c["top"], 1):
        out.append(
            f"{i}. **{md_escape(r['activity'])}** – {f.hours(r['relief_hours_per_year'])} "
            f"{t('unit.per_year')}, {t('col.automatability')} {f.pct(r['automatability'])}"
        )
    if not c["top"]:
        out.append(md_escape(t("summary.no_candidates")))
    out += ["", *decision_markdown(c, f, _table, md_escape)]
    out += ["", f"### {t('summary.assumptions')}", ""]
    for a in c["key_assumptions"]:
        year = f", {a['year']}" if a["year"] else ""
        out.append(
            f"- {md_escape(a['label'])}: **{md_escape(a['value'])}** "
            f"({t('common.source')}: {md_escape(a['source'] or '–')}{year})"
        )
    out += [f"\n> {md_escape(n)}" for n in c["quality"]["annualisation"]]
    if not c["reasons_translated"]:
        out += ["", f"*{md_escape(t('summary.reasons_language'))}*"]
    return out


def _candidates(c: dict[str, Any], f: Formatter) -> list[str]:
    t = f.t
    header = [
        t(f"col.{k}")
        for k in (
            "rank",
            "activity",
            "automatability",
            "events_per_year",
            "handling_minutes",
            "handling_source",
            "relief_hours_per_year",
            "interval",
            "relief_fte",
            "relief_eur_per_year",
            "payback_months",
        )
    ] + [t("abbr.break_even")]
    rows = []
    for r in c["rows"]:
        name = md_escape(r["activity"])
        if r["already_automated"]:
            name += f" *({md_escape(t('candidates.automated'))})*"
        if r.get("reliable") is False:  # plausibility checks
            name += f" **({md_escape(t('candidates.not_reliable'))})**"
        payback = (
            f.num(r["payback_months"], 1)
            if r["payback_months"] is not None
            else md_escape(r["payback_note"] or "–")
        )
        rows.append(
            [
                str(r["rank"]),
                name,
                f.pct(r["automatability"]),
                f.num(r["events_per_year"]),
                f.minutes(r["handling_minutes"]),
                md_escape(r["handling_source_text"]),
                f.hours(r["relief_hours_per_year"]),
                f.interval(r["relief_hours_low"], r["relief_hours_high"]),
                f.fte(r["relief_fte"]),
                f.eur(r["relief_eur_per_year"]),
                payback,
                f.num(r["break_even_executions_per_year"]),
            ]
        )
    return [
        f"## {t('section.candidates')}",
        "",
        md_escape(t("candidates.intro")),
        "",
        _table(header, rows, {0, 2, 3, 4, 6, 7, 8, 9, 10, 11}),
    ]


def _cards(c: dict[str, Any], f: Formatter) -> list[str]:
    t = f.t
    out = [f"## {t('section.cards')}"]
    for r in c["top"]:
        payback = (
            t("card.payback", months=f.months(r["payback_months"]))
            if r["payback_months"] is not None
            else t("card.no_payback", note=r["payback_note"] or "–")
        )
        out += [
            "",
            f"### {r['rank']}. {md_escape(r['activity'])}",
            "",
            f"**{f.hours(r['relief_hours_per_year'])} {t('unit.per_year')}** · "
            f"{f.fte(r['relief_fte'])} · {f.eur(r['relief_eur_per_year'])}; "
            f"{t('summary.interval', level=f.pct(c['confidence']))}: "
            f"{f.interval(r['relief_hours_low'], r['relief_hours_high'])}",
            "",
            "- "
            + md_escape(
                t(
                    "card.automatability",
                    value=f.pct(r["automatability"]),
                    rule=f.score(r["rule_score"]),
                    ml=f.score(r["ml_score"]),
                )
            ),
            "- "
            + md_escape(
                t(
                    "card.handling",
                    minutes=f.minutes(r["handling_minutes"]),
                    source=r["handling_source_text"],
                )
            ),
            "- " + md_escape(payback),
            "",
            f"**{t('card.for')}**",
            "",
        ]
        out += [f"- {md_escape(s)}" for s in r["reasons_for"]] or ["- –"]
        out += ["", f"**{t('card.against')}**", ""]
        out += [f"- {md_escape(s)}" for s in r["reasons_against"]] or ["- –"]
        if r["relief_note"]:
            out += ["", f"*{md_escape(r['relief_note'])}*"]
    return out


def _rest(c: dict[str, Any], f: Formatter) -> list[str]:
    t, q = f.t, c["quality"]
    out = [f"## {t('section.routines')}", "", md_escape(t("routines.intro")), ""]
    if c["routines"]:
        out.append(
            _table(
                [
                    t("col.routine"),
                    t("col.steps"),
                    t("col.relief_hours_per_year"),
                    t("col.interval"),
                    t("col.relief_eur_per_year"),
                    t("col.payback_months"),
                    t("abbr.break_even"),
                ],
                [
                    [
                        str(r["routine"]),
                        md_escape(r["steps"]),
                        f.hours(r["relief_hours_per_year"]),
                        f.interval(r["relief_hours_low"], r["relief_hours_high"]),
                        f.eur(r["relief_eur_per_year"]),
                        f.num(r["payback_months"], 1),
                        f.num(r["break_even_executions_per_year"]),
                    ]
                    for r in c["routines"]
                ],
                {0, 2, 3, 4, 5, 6},
            )
        )
    else:
        out.append(md_escape(t("routines.none")))
    out += ["", f"## {t('section.quality')}", ""]
    rows = [
        [md_escape(t("quality.rows_read")), f.num(q["rows_read"])],
        [md_escape(t("quality.rows_used")), f.num(q["rows_used"])],
    ]
    rows += [
        [md_escape(f"{t('quality.rejected')}: {r['meaning']}"), f.num(r["rows"])]
        for r in q["rejected"]
    ]
    rows += [
        [md_escape(f"{t('quality.adjusted')}: {r['meaning']}"), f.num(r["rows"])]
        for r in q["adjusted"]
    ]
    out.append(_table([t("quality.item"), t("quality.count")], rows, {1}))
    out += [f"\n- {md_escape(w)}" for w in q["warnings"]]
    m = c["methodology"]
    out += ["", f"## {t('section.methodology')}", "", md_escape(t("method.intro")), ""]
    out += [
        f"- **{md_escape(x['title'])}:** `{x['formula']}` – {md_escape(x['text'])}"
        for x in m["formulas"]
    ]
    out += ["", f"### {t('method.assumptions')}", ""]
    out.append(
        _table(
            [
                t("method.field"),
                t("method.value"),
                t("method.unit"),
                t("common.source"),
                t("method.year"),
            ],
            [
                [
                    md_escape(r["field"]),
                    md_escape(r["value"]),
                    md_escape(r["unit"] or ""),
                    md_escape(r["source"] or ""),
                    md_escape(r["year"] or ""),
                ]
                for r in m["assumptions"]
            ],
        )
    )
    out += [
        "",
        md_escape(t("method.see_html")),
        "",
        f"## {t('section.privacy')}",
        "",
        md_escape(t("privacy.text")),
    ]
    return out


def render_markdown(
    analysis: Analysis, *, lang: Literal["de", "en"] = "de", what_if: Any = None
) -> str:
    """The report of ``analysis`` as Markdown in ``lang`` (no charts)."""
    f = Formatter(check_lang(lang))
    c = build(analysis, lang)
    log = c["log"]
    head = [
        f"# {f.t('report.title')}",
        "",
        md_escape(
            f.t(
                "report.log_line",
                source=log["source"],
                events=f.num(log["events"]),
                cases=f.num(log["cases"]),
                activities=f.num(log["activities"]),
                start=f.date(log["start"]),
                end=f.date(log["end"]),
            )
        ),
        "",
    ]
    from .plausibility import markdown as plausibility_markdown

    parts = head + _summary(c, f) + [""] + _candidates(c, f) + [""] + _cards(c, f) + [""]
    parts += [md_escape(c["fitness_note"]), ""]
    parts += plausibility_markdown(c["plausibility"], f)
    if what_if is not None:
        from .whatif import markdown_section

        parts += markdown_section(what_if, lang)
    return "\n".join(parts + _rest(c, f)) + "\n"


def render_comparison_markdown(comparison: Comparison, *, lang: Literal["de", "en"] = "de") -> str:
    """A :class:`~rpa_candidates.comparison.Comparison` as Markdown in ``lang``."""
    from .html import _comparison_context

    f = Formatter(check_lang(lang))
    t, c = f.t, _comparison_context(comparison)
    out = [
        f"# {t('compare.title')}",
        "",
        md_escape(t("compare.towns", towns=", ".join(c["towns"]))),
        "",
        f"## {t('compare.shared')}",
        "",
        md_escape(t("compare.shared_intro")),
        "",
    ]
    out.append(
        _table(
            [
                t("col.activity"),
                t("compare.towns_with_relief"),
                t("col.relief_hours_per_year"),
                t("col.relief_eur_per_year"),
                t("compare.shared_payback"),
                t("compare.separate_payback"),
            ],
            [
                [
                    md_escape(r["activity"]),
                    f.num(r["towns_with_relief"]),
                    f.hours(r["shared_relief_hours"]),
                    f.eur(r["shared_relief_eur"]),
                    f.num(r["shared_payback_months"], 1),
                    f.num(r["separate_payback_months"], 1),
                ]
                for r in c["shared"]
            ],
            {1, 2, 3, 4, 5},
        )
    )
    out += ["", f"## {t('compare.by_town')}", ""]
    header = [t("col.activity")]
    for town in c["towns"]:
        header += [f"{town}: {t('col.rank')}", f"{town}: {t('col.relief_hours_per_year')}"]
    rows = []
    for a in c["activities"]:
        row = [md_escape(a)]
        for town in c["towns"]:
            x = c["cells"][a].get(town)
            row += [str(x["rank"]), f.hours(x["relief_hours_per_year"])] if x else ["–", "–"]
        rows.append(row)
    out.append(_table(header, rows, set(range(1, len(header)))))
    return "\n".join(out) + "\n"
