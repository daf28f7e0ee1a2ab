"""Named, ordered schema migrations, one transaction each, per dialect.

Add a migration by appending to MIGRATIONS; never edit one that has shipped.
"""

from __future__ import annotations

from dataclasses import dataclass

_DOCUMENT_COLUMNS = """
    id TEXT NOT NULL UNIQUE,
    uri TEXT NOT NULL,
    title TEXT,
    publisher TEXT,
    author TEXT,
    published TEXT,
    published_estimated INTEGER NOT NULL DEFAULT 0,
    published_from TEXT,
    captured TEXT,
    kind TEXT NOT NULL,
    language TEXT,
    format TEXT NOT NULL,
    encoding TEXT,
    text TEXT NOT NULL,
    raw_ref TEXT NOT NULL,
    blob TEXT NOT NULL REFERENCES blobs(sha256),
    version_of TEXT,
    source_path TEXT,
    notes TEXT NOT NULL DEFAULT '[]',
    segments TEXT NOT NULL DEFAULT '[]',
    producer TEXT NOT NULL,
    added_at TEXT NOT NULL
"""

_BLOBS = """
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    segment TEXT NOT NULL,
    "offset" BIGINT NOT NULL,
    path TEXT,
    format TEXT NOT NULL,
    added_at TEXT NOT NULL
)"""

_INDEXES = [
    "CREATE INDEX documents_uri ON documents(uri)",
    "CREATE INDEX documents_published ON documents(published)",
    "CREATE INDEX documents_publisher ON documents(publisher)",
    "CREATE INDEX documents_blob ON documents(blob)",
]


@dataclass(frozen=True)
class Migration:
    name: str
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_documents",
        sqlite=(
            _BLOBS,
            f"CREATE TABLE documents (seq INTEGER PRIMARY KEY, {_DOCUMENT_COLUMNS})",
            *_INDEXES,
            "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
            "content_rowid='seq', tokenize='unicode61 remove_diacritics 2')",
        ),
        postgres=(
            _BLOBS,
            f"CREATE TABLE documents (seq BIGSERIAL PRIMARY KEY, {_DOCUMENT_COLUMNS}, "
            "tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', "
            "coalesce(title, '') || ' ' || text)) STORED)",
            *_INDEXES,
            "CREATE INDEX documents_tsv ON documents USING GIN (tsv)",
        ),
    ),
)

_STATEMENTS = """
CREATE TABLE statements (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    source_text TEXT,
    source_name TEXT,
    source_type TEXT,
    cue_text TEXT,
    content_text TEXT NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    stance TEXT NOT NULL,
    said_on TEXT,
    data TEXT NOT NULL,
    producer TEXT NOT NULL
)"""

_STATEMENT_INDEXES = (
    "CREATE INDEX statements_doc ON statements(doc_id, position)",
    "CREATE INDEX statements_source ON statements(source_name)",
    "CREATE INDEX statements_said_on ON statements(said_on)",
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration("0002_statements", sqlite=(_STATEMENTS, *_STATEMENT_INDEXES),
              postgres=(_STATEMENTS, *_STATEMENT_INDEXES)),
)

_LINK_TABLES = (
    """CREATE TABLE sources (
    id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, type TEXT NOT NULL,
    role TEXT, affiliation TEXT, country TEXT, alignment TEXT NOT NULL, grade TEXT,
    aliases TEXT NOT NULL, statements INTEGER NOT NULL)""",
    """CREATE TABLE statement_sources (
    statement_id TEXT PRIMARY KEY REFERENCES statements(id), source_id TEXT NOT NULL,
    via_source_id TEXT)""",
    "CREATE INDEX statement_sources_source ON statement_sources(source_id)",
    """CREATE TABLE propositions (
    id TEXT PRIMARY KEY, statement TEXT NOT NULL, origin TEXT NOT NULL, created TEXT NOT NULL)""",
    """CREATE TABLE assignments (
    statement_id TEXT NOT NULL REFERENCES statements(id), proposition_id TEXT NOT NULL,
    score REAL NOT NULL, stance TEXT NOT NULL, PRIMARY KEY (statement_id, proposition_id))""",
    "CREATE INDEX assignments_proposition ON assignments(proposition_id)",
    """CREATE TABLE relays (
    statement_id TEXT NOT NULL, relayer_id TEXT NOT NULL, origin_id TEXT NOT NULL)""",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        "0003_linking",
        sqlite=(*_LINK_TABLES,
                """CREATE TABLE source_edits (seq INTEGER PRIMARY KEY AUTOINCREMENT,
                action TEXT NOT NULL, key TEXT NOT NULL, target TEXT, field TEXT, value TEXT,
                created TEXT NOT NULL)"""),
        postgres=(*_LINK_TABLES,
                  """CREATE TABLE source_edits (seq BIGSERIAL PRIMARY KEY,
                  action TEXT NOT NULL, key TEXT NOT NULL, target TEXT, field TEXT, value TEXT,
                  created TEXT NOT NULL)"""),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        "0004_statement_summary_columns",
        sqlite=("ALTER TABLE statements ADD COLUMN evidence_types TEXT",
                "ALTER TABLE statements ADD COLUMN hedge_list TEXT",
                "ALTER TABLE statements ADD COLUMN via_text TEXT"),
        postgres=("ALTER TABLE statements ADD COLUMN evidence_types TEXT",
                  "ALTER TABLE statements ADD COLUMN hedge_list TEXT",
                  "ALTER TABLE statements ADD COLUMN via_text TEXT"),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        "0005_assignment_day",
        sqlite=("ALTER TABLE assignments ADD COLUMN day TEXT",
                "CREATE INDEX assignments_timeline ON assignments(proposition_id, day, "
                "statement_id)"),
        postgres=("ALTER TABLE assignments ADD COLUMN day TEXT",
                  "CREATE INDEX assignments_timeline ON assignments(proposition_id, day, "
                  "statement_id)"),
    ),
)
