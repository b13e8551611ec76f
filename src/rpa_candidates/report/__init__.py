"""Reports of an analysis: HTML, Excel, Markdown, JSON and the charts (see README.md)."""

from .charts import build_figures
from .excel import neutralise, write_excel
from .html import render_comparison_html, render_html
from .i18n import Formatter
from .jsonout import payload, render_json
from .markdown import render_comparison_markdown, render_markdown

__all__ = [
    "Formatter",
    "build_figures",
    "neutralise",
    "payload",
    "render_comparison_html",
    "render_comparison_markdown",
    "render_html",
    "render_json",
    "render_markdown",
    "write_excel",
]
