"""Extraction components: turning document text into attributed statements."""

from corroborate.extract.statements import extract_statements, iter_statements

__all__ = ["extract_statements", "iter_statements"]
