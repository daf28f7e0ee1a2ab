"""Reports for analysts: a self-contained HTML page rendered from the assessment's REPORT MODEL."""

from corroborate.report.html import render_report

__all__ = ["render_report"]
