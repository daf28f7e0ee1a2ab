"""The ledger store: schema, migrations and the single writer."""

from corroborate.store.ledger import SourceWrite, Store, WriteOutcome
from corroborate.store.query import SearchQuery, parse_query
from corroborate.store.reads import DocumentFilter, ResolvedStatement, SearchHit

__all__ = ["DocumentFilter", "ResolvedStatement", "SearchHit", "SearchQuery", "SourceWrite",
           "Store", "WriteOutcome", "parse_query"]
