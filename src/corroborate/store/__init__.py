"""The ledger store: schema, migrations and the single writer."""

from corroborate.store.ledger import DocumentFilter, Store, WriteOutcome

__all__ = ["DocumentFilter", "Store", "WriteOutcome"]
