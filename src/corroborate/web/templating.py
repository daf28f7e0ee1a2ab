"""The Jinja2 environment of the workbench: templates and filters shipped in the package.

Autoescape is on for every template, so a title, publisher or statement from a document is
text wherever it appears; the only markup passed through unescaped is what our own code built
from escaped pieces (the timeline SVG of `report/charts.py`, the document highlights of
`web/highlight.py`), wrapped in `Markup` at the one place it is made.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape

from corroborate.report.charts import COLOURS, stance_key


def _href(uri: Any) -> str | None:
    """A document's original URL as a link target, only when it is http(s); anything else
    (`javascript:`, `data:`, a file path) is shown as text, never made a link."""
    text = str(uri or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def _query(base: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (for paging links)."""
    merged = {k: v for k, v in {**base, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else "?"


def path_segment(value: Any) -> str:
    """An id as one URL path segment (`/` and `%` included), so any id round-trips."""
    return quote(str(value), safe="")


ENV = Environment(loader=PackageLoader("corroborate.web", "templates"),
                  autoescape=select_autoescape(default=True, default_for_string=True),
                  trim_blocks=True, lstrip_blocks=True,
                  # The templates ship in the package: no stat() of each file per render.
                  auto_reload=False)
ENV.filters["href"] = _href
ENV.filters["seg"] = path_segment
ENV.filters["stance_key"] = stance_key
ENV.globals["query"] = _query
ENV.globals["COLOURS"] = COLOURS


def render(name: str, **context: Any) -> str:
    return ENV.get_template(name).render(**context)


def compile_all() -> None:
    """Compile every template now (once per process; Jinja keeps them): otherwise the first
    view of each page pays for parsing its template and the macros it imports, which is
    most of a first view on a small ledger."""
    for name in ENV.list_templates(extensions=["html"]):
        ENV.get_template(name)
