"""The `timeline` view, second version (migration 0010): a date's precision is what the
extractor resolved it to, not what its string length suggests.

The first version (0008) called every `said_on` a `day`, because the extractor wrote "in
October" as `2024-10-01`. Now `statements.said_on_granularity` says `day`, `weekend`, `week` or
`month`, and the view adds `date_end`, the last day of the interval the date stands for, so
`WHERE date <= '2024-10-18' AND date_end >= '2024-10-18'` finds what may have been said that day.
The last-day arithmetic differs by dialect; everything else is shared.
"""

from __future__ import annotations

# COALESCE(said_on, published), as `d`, and the granularity that applies to it, as `g`.
_D = "COALESCE(s.said_on, d.published)"
_G = ("CASE WHEN s.said_on IS NOT NULL THEN COALESCE(s.said_on_granularity, 'day') "
      "WHEN d.published IS NULL THEN NULL WHEN length(d.published) >= 10 THEN 'day' "
      "WHEN length(d.published) >= 7 THEN 'month' ELSE 'year' END")

_END = {
    "sqlite": {
        "day": f"substr({_D}, 1, 10)",
        "weekend": f"date(substr({_D}, 1, 10), '+1 day')",
        "week": f"date(substr({_D}, 1, 10), '+6 days')",
        "month": f"date(substr({_D}, 1, 7) || '-01', '+1 month', '-1 day')",
    },
    "postgres": {
        "day": f"substr({_D}, 1, 10)",
        "weekend": f"(to_date(substr({_D}, 1, 10), 'YYYY-MM-DD') + 1)::text",
        "week": f"(to_date(substr({_D}, 1, 10), 'YYYY-MM-DD') + 6)::text",
        "month": f"(to_date(substr({_D}, 1, 7) || '-01', 'YYYY-MM-DD') + interval '1 month' "
                 "- interval '1 day')::date::text",
    },
}


def timeline_view(dialect: str) -> str:
    end = _END[dialect]
    date_end = (f"CASE ({_G}) WHEN 'weekend' THEN {end['weekend']} WHEN 'week' THEN {end['week']} "
                f"WHEN 'month' THEN {end['month']} WHEN 'year' THEN substr({_D}, 1, 4) || "
                f"'-12-31' WHEN 'day' THEN {end['day']} END")
    return f"""CREATE VIEW timeline AS
-- What `corroborate timeline P` shows, one row per statement linked to a proposition:
-- date is when it was said (said_on) or else when its document was published; it is the first
-- day of the interval it stands for, which ends on date_end; precision is day, weekend, week,
-- month or year ("in October" is month: some day in 2024-10-01..2024-10-31, not Oct 1st);
-- date_basis says which date it is; stance is toward the proposition.
-- Order with: SELECT * FROM timeline WHERE proposition_id = 'P1' ORDER BY date, date_end
SELECT a.proposition_id, p.statement AS proposition,
       {_D} AS date, {_G} AS precision, {date_end} AS date_end,
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


# Statements stored before 0010 carry their granularity only in said_on_how, inside `data`
# ("relative_to_anchor (month, first day): October"); a LIKE reads it on both dialects.
BACKFILL_GRANULARITY = (
    "UPDATE statements SET said_on_granularity = CASE WHEN said_on IS NULL THEN NULL "
    "WHEN data LIKE '%(weekend, first day)%' THEN 'weekend' "
    "WHEN data LIKE '%(week, first day)%' THEN 'week' "
    "WHEN data LIKE '%(month, first day)%' THEN 'month' ELSE 'day' END")
