"""Named, ordered schema migrations, one transaction each, per dialect.

Add a migration by appending to MIGRATIONS; never edit one that has shipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from corroborate.store.views import BACKFILL_GRANULARITY, timeline_view

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
    # Rebuilds tables (SQLite's way to add a constraint): run with foreign keys off, then
    # checked with PRAGMA foreign_key_check before the commit.
    rebuild: bool = False


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

# -- 0006-0008: a schema other tools can join (Datasette follows a foreign key to the referenced
# table's *primary key*, and detects full-text search through `content="table"`) -------------

_DOCUMENTS_BY_ID = """
CREATE TABLE documents_new (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
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
    version_of TEXT REFERENCES documents(id),
    source_path TEXT,
    notes TEXT NOT NULL DEFAULT '[]',
    segments TEXT NOT NULL DEFAULT '[]',
    producer TEXT NOT NULL,
    added_at TEXT NOT NULL
)"""

_DOCUMENT_FIELDS = ("id, uri, title, publisher, author, published, published_estimated, "
                    "published_from, captured, kind, language, format, encoding, text, raw_ref, "
                    "blob, version_of, source_path, notes, segments, producer, added_at")

# The FTS index keeps `seq` as its rowid (content_rowid), a real column that no VACUUM can
# renumber; every document is also inserted with rowid = seq, so Datasette's own
# `rowid in (select rowid from documents_fts ...)` finds the same rows. `content="documents"`
# is double-quoted because that is the spelling Datasette looks for.
_FTS = ('CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content="documents", '
        'content_rowid="seq", tokenize="unicode61 remove_diacritics 2")')

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        "0006_documents_keyed_by_id",
        sqlite=(
            _DOCUMENTS_BY_ID,
            f"INSERT INTO documents_new (rowid, seq, {_DOCUMENT_FIELDS}) "
            f"SELECT seq, seq, {_DOCUMENT_FIELDS} FROM documents",
            "DROP TABLE documents_fts",
            "DROP TABLE documents",
            "ALTER TABLE documents_new RENAME TO documents",
            *_INDEXES,
            "CREATE INDEX documents_version_of ON documents(version_of)",
            _FTS,
            "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
        ),
        postgres=(
            "ALTER TABLE statements DROP CONSTRAINT statements_doc_id_fkey",
            "ALTER TABLE documents DROP CONSTRAINT documents_pkey",
            "ALTER TABLE documents DROP CONSTRAINT documents_id_key",
            "ALTER TABLE documents ADD CONSTRAINT documents_pkey PRIMARY KEY (id)",
            "ALTER TABLE documents ADD CONSTRAINT documents_seq_key UNIQUE (seq)",
            "ALTER TABLE statements ADD CONSTRAINT statements_doc_id_fkey "
            "FOREIGN KEY (doc_id) REFERENCES documents(id)",
            "ALTER TABLE documents ADD CONSTRAINT documents_version_of_fkey "
            "FOREIGN KEY (version_of) REFERENCES documents(id)",
            "CREATE INDEX documents_version_of ON documents(version_of)",
        ),
        rebuild=True,
    ),
)

# Links are derived (recomputed by `link` from statements and analyst input), so rows that a
# constraint would reject are dropped and the ledger is marked stale to be relinked.
_ORPHANS = (
    "DELETE FROM relays WHERE statement_id NOT IN (SELECT id FROM statements) "
    "OR relayer_id NOT IN (SELECT id FROM sources) OR origin_id NOT IN (SELECT id FROM sources)",
    "DELETE FROM statement_sources WHERE source_id NOT IN (SELECT id FROM sources) "
    "OR via_source_id NOT IN (SELECT id FROM sources)",
    "DELETE FROM assignments WHERE proposition_id NOT IN (SELECT id FROM propositions)",
    "DELETE FROM meta WHERE key = 'linked'",
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        "0007_link_foreign_keys",
        sqlite=(
            *_ORPHANS,
            """CREATE TABLE statement_sources_new (
    statement_id TEXT PRIMARY KEY REFERENCES statements(id),
    source_id TEXT NOT NULL REFERENCES sources(id),
    via_source_id TEXT REFERENCES sources(id))""",
            "INSERT INTO statement_sources_new SELECT statement_id, source_id, via_source_id "
            "FROM statement_sources",
            "DROP TABLE statement_sources",
            "ALTER TABLE statement_sources_new RENAME TO statement_sources",
            "CREATE INDEX statement_sources_source ON statement_sources(source_id)",
            """CREATE TABLE assignments_new (
    statement_id TEXT NOT NULL REFERENCES statements(id),
    proposition_id TEXT NOT NULL REFERENCES propositions(id),
    score REAL NOT NULL, stance TEXT NOT NULL, day TEXT,
    PRIMARY KEY (statement_id, proposition_id))""",
            "INSERT INTO assignments_new SELECT statement_id, proposition_id, score, stance, day "
            "FROM assignments",
            "DROP TABLE assignments",
            "ALTER TABLE assignments_new RENAME TO assignments",
            "CREATE INDEX assignments_proposition ON assignments(proposition_id)",
            "CREATE INDEX assignments_timeline ON assignments(proposition_id, day, statement_id)",
            """CREATE TABLE relays_new (
    statement_id TEXT NOT NULL REFERENCES statements(id),
    relayer_id TEXT NOT NULL REFERENCES sources(id),
    origin_id TEXT NOT NULL REFERENCES sources(id))""",
            "INSERT INTO relays_new SELECT statement_id, relayer_id, origin_id FROM relays",
            "DROP TABLE relays",
            "ALTER TABLE relays_new RENAME TO relays",
            "CREATE INDEX relays_statement ON relays(statement_id)",
        ),
        postgres=(
            *_ORPHANS,
            "ALTER TABLE statement_sources ADD FOREIGN KEY (source_id) REFERENCES sources(id)",
            "ALTER TABLE statement_sources ADD FOREIGN KEY (via_source_id) "
            "REFERENCES sources(id)",
            "ALTER TABLE assignments ADD FOREIGN KEY (proposition_id) REFERENCES propositions(id)",
            "ALTER TABLE relays ADD FOREIGN KEY (statement_id) REFERENCES statements(id)",
            "ALTER TABLE relays ADD FOREIGN KEY (relayer_id) REFERENCES sources(id)",
            "ALTER TABLE relays ADD FOREIGN KEY (origin_id) REFERENCES sources(id)",
            "CREATE INDEX relays_statement ON relays(statement_id)",
        ),
        rebuild=True,
    ),
)

# Views for people who query the ledger with SQL (Datasette, sqlite3, psql); documented in
# store/SCHEMA.md. SQLite keeps the comments inside a view's SQL, so Datasette shows them.
_STATEMENTS_RESOLVED = """CREATE VIEW statements_resolved AS
-- Each statement with its *resolved* source (set by `corroborate link`). The column
-- statements.source_name is the extractor's guess from the text alone; it appears here as
-- source_name_guess, and source_id/source_name are the source the ledger resolved it to.
SELECT s.id AS statement_id, s.doc_id, s.position, s.kind,
       ss.source_id, src.name AS source_name, src.type AS source_type,
       s.source_text, s.source_name AS source_name_guess, s.source_type AS source_type_guess,
       ss.via_source_id, via.name AS via_name, s.cue_text, s.content_text, s.stance,
       s.said_on, d.published, d.title AS document_title, d.publisher
FROM statements s
JOIN documents d ON d.id = s.doc_id
LEFT JOIN statement_sources ss ON ss.statement_id = s.id
LEFT JOIN sources src ON src.id = ss.source_id
LEFT JOIN sources via ON via.id = ss.via_source_id"""

_TIMELINE = """CREATE VIEW timeline AS
-- What `corroborate timeline P` shows, one row per statement linked to a proposition:
-- date is when it was said (said_on) or else when its document was published; precision is
-- day, month or year; date_basis says which; stance is toward the proposition.
-- Order with: SELECT * FROM timeline WHERE proposition_id = 'P1' ORDER BY date, statement_id
SELECT a.proposition_id, p.statement AS proposition,
       COALESCE(s.said_on, d.published) AS date,
       CASE WHEN COALESCE(s.said_on, d.published) IS NULL THEN NULL
            WHEN length(COALESCE(s.said_on, d.published)) >= 10 THEN 'day'
            WHEN length(COALESCE(s.said_on, d.published)) >= 7 THEN 'month'
            ELSE 'year' END AS precision,
       CASE WHEN s.said_on IS NOT NULL THEN 'said_on'
            WHEN d.published IS NULL THEN NULL
            WHEN d.published_estimated = 1 THEN 'published_estimated'
            ELSE 'published' END AS date_basis,
       ss.source_id, COALESCE(src.name, s.source_text, d.publisher, '(author)') AS source,
       a.stance, a.score, a.statement_id, s.content_text AS statement,
       s.doc_id AS document_id, d.title AS document_title, d.publisher, d.uri AS document_uri
FROM assignments a
JOIN propositions p ON p.id = a.proposition_id
JOIN statements s ON s.id = a.statement_id
JOIN documents d ON d.id = s.doc_id
LEFT JOIN statement_sources ss ON ss.statement_id = a.statement_id
LEFT JOIN sources src ON src.id = ss.source_id"""

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        "0008_views",
        sqlite=(_STATEMENTS_RESOLVED, _TIMELINE),
        postgres=(
            _STATEMENTS_RESOLVED, _TIMELINE,
            "COMMENT ON COLUMN statements.source_name IS 'The extractor''s guess at the source "
            "name, from the text alone; the resolved source is in statement_sources and the "
            "view statements_resolved'",
            "COMMENT ON VIEW statements_resolved IS 'Each statement with its resolved source "
            "(source_id, source_name) beside the extractor''s guess (source_name_guess)'",
            "COMMENT ON VIEW timeline IS 'One row per statement linked to a proposition: "
            "date, precision, date_basis, source, stance toward the proposition, statement, "
            "document'",
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        "0009_source_speaks_for",  # a spokesperson's source points at the body's source
        sqlite=("ALTER TABLE sources ADD COLUMN speaks_for TEXT",),
        postgres=("ALTER TABLE sources ADD COLUMN speaks_for TEXT",),
    ),
)

_GRANULARITY = ("ALTER TABLE statements ADD COLUMN said_on_granularity TEXT",
                BACKFILL_GRANULARITY, "DROP VIEW timeline")
MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        "0010_said_on_granularity",  # "in October" is a month, not 1 October (store/views.py)
        sqlite=(*_GRANULARITY, timeline_view("sqlite")),
        postgres=(*_GRANULARITY, timeline_view("postgres"),
                  "COMMENT ON VIEW timeline IS 'One row per statement linked to a proposition: "
                  "date (first day of the interval it stands for), precision (day, weekend, "
                  "week, month, year), date_end, date_basis, source, stance toward the "
                  "proposition, statement, document'"),
    ),
)

# -- 0011: analyst corrections (curate/), an audit log that is also the overlay's input -------
# `corrections` is append-only except `undone_by`; `statement_spans` remembers the text of each
# span a correction is keyed to, so it can be found again when offsets move (store/anchors.py);
# the added columns say which rows an analyst changed: `statements.machine` keeps the
# extractor's values an analyst overrode, `assignments.correction` the correction that made or
# changed a link, `source_edits.correction` the correction a source edit belongs to.
_SPANS = """CREATE TABLE statement_spans (
    key TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id),
    content_start INTEGER NOT NULL, content_end INTEGER NOT NULL, content_text TEXT NOT NULL,
    cue_start INTEGER, cue_end INTEGER, cue_text TEXT)"""
_MACHINE_LINKS = """CREATE TABLE assignments_machine (
    statement_id TEXT NOT NULL, proposition_id TEXT NOT NULL, score REAL NOT NULL,
    stance TEXT NOT NULL, day TEXT, PRIMARY KEY (statement_id, proposition_id))"""
_CORRECTION_COLUMNS = (
    "ALTER TABLE statements ADD COLUMN machine TEXT",
    "ALTER TABLE assignments ADD COLUMN correction INTEGER",
    "ALTER TABLE source_edits ADD COLUMN correction INTEGER",
    "CREATE INDEX corrections_target ON corrections(target_kind, target, id)",
    "CREATE INDEX corrections_created ON corrections(created)",
)
MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        "0011_corrections",
        sqlite=(
            """CREATE TABLE corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT, author TEXT NOT NULL, created TEXT NOT NULL,
    op TEXT NOT NULL, target_kind TEXT NOT NULL, target TEXT NOT NULL,
    "before" TEXT, "after" TEXT, undoes INTEGER REFERENCES corrections(id),
    undone_by INTEGER REFERENCES corrections(id))""",
            _SPANS, _MACHINE_LINKS, *_CORRECTION_COLUMNS),
        postgres=(
            """CREATE TABLE corrections (
    id BIGSERIAL PRIMARY KEY, author TEXT NOT NULL, created TEXT NOT NULL,
    op TEXT NOT NULL, target_kind TEXT NOT NULL, target TEXT NOT NULL,
    "before" TEXT, "after" TEXT, undoes BIGINT REFERENCES corrections(id),
    undone_by BIGINT REFERENCES corrections(id))""",
            _SPANS, _MACHINE_LINKS, *_CORRECTION_COLUMNS),
    ),
)

_ACH_SETS = """CREATE TABLE ach_sets (name TEXT PRIMARY KEY, author TEXT NOT NULL,
    created TEXT NOT NULL, exclusive INTEGER NOT NULL DEFAULT 0)"""
_ACH_HYPOTHESES = """CREATE TABLE ach_hypotheses (
    set_name TEXT NOT NULL REFERENCES ach_sets(name) ON DELETE CASCADE,
    position INTEGER NOT NULL, proposition_id TEXT NOT NULL,
    PRIMARY KEY (set_name, position), UNIQUE (set_name, proposition_id))"""
MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        # Competing-hypotheses sets (assess/ach.py); the analyst's cells and credibility
        # overrides are corrections (0011), target kinds `ach` and `credibility`.
        "0012_ach_sets",
        sqlite=(_ACH_SETS, _ACH_HYPOTHESES),
        postgres=(_ACH_SETS, _ACH_HYPOTHESES),
    ),
)

# -- 0013: the embedding cache (store/vectors.py, link/vectors.py) -----------------------------
# Derived data: a row is the float32 unit vector one encoder (`model`, see link/vectors.py)
# gave one exact text (`text_sha256`); deleting any or all rows only costs re-encoding.
_VECTORS = """CREATE TABLE embedding_cache (
    model TEXT NOT NULL, text_sha256 TEXT NOT NULL, dim INTEGER NOT NULL,
    vector {blob} NOT NULL, created TEXT NOT NULL, PRIMARY KEY (model, text_sha256))"""
MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        "0013_embedding_cache",
        sqlite=(_VECTORS.format(blob="BLOB"),),
        postgres=(_VECTORS.format(blob="BYTEA"),),
    ),
)

# -- 0014: what linking keeps between runs (store/linkcache.py, link/run.py) ------------------
# Derived data, like the embedding cache: a row is used only when its `inputs` digest equals
# the one a run computes, and deleting rows only costs recomputing them. No foreign keys: a
# run drops the rows of statements and propositions gone since.
_LINK_CLAIMS = """CREATE TABLE link_claims (
    statement_id TEXT PRIMARY KEY, inputs TEXT NOT NULL, content_concepts TEXT NOT NULL,
    context_concepts TEXT NOT NULL)"""
_LINK_STANCES = """CREATE TABLE link_stances (
    statement_id TEXT NOT NULL, proposition_id TEXT NOT NULL, inputs TEXT NOT NULL,
    stance TEXT, PRIMARY KEY (statement_id, proposition_id))"""
MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        "0014_link_cache",
        sqlite=(_LINK_CLAIMS, _LINK_STANCES),
        postgres=(_LINK_CLAIMS, _LINK_STANCES,
                  "COMMENT ON TABLE link_claims IS 'Derived: each statement''s concept bags "
                  "as linking last computed them (inputs: digest of what they came from)'",
                  "COMMENT ON TABLE link_stances IS 'Derived: the rules'' stance of a "
                  "statement toward a proposition (inputs: digest of what it came from)'"),
    ),
)
