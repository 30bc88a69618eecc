"""Full-text search in the database: SQLite's FTS5 or PostgreSQL's text search.

SQLite: an FTS5 table over the documents (external content, kept in step by triggers, which
are index mechanics, not domain logic), tokenised by `unicode61` with diacritics kept, so that
å, ä and ö are letters of their own ("år" is not "ar"), and case folded. SQLite has no Swedish
stemmer: each word matches as a prefix ("hyressättning" finds "hyressättningsmodellen").

PostgreSQL: a GIN index on the documents' `tsvector` with the `swedish` configuration (Snowball
stemming: "uppdragen" finds "uppdrag"), each word also as a prefix.

Both: every word must match (AND); the title weighs more than the rest; matches come back
marked with two private-use characters, which the indexer strips from the text, so that the
page can escape the text first and then turn the marks into <mark>.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from verksam.organisation.models import OrgUnit
from verksam.plans.models import Plan

HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"
MAX_WORDS = 12
WORD = re.compile(r"\w+")

TABLE = "search_searchdocument"
FTS_TABLE = "search_fts"
PG_CONFIG = "swedish"
PG_VECTOR = (
    f"setweight(to_tsvector('{PG_CONFIG}'::regconfig, title), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}'::regconfig, body), 'B')"
)

SQLITE_SETUP = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        title, body, content='{TABLE}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_TEARDOWN = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{event}" for event in ("insert", "delete", "update")
] + [f"DROP TABLE IF EXISTS {FTS_TABLE}"]
POSTGRES_SETUP = [f"CREATE INDEX search_document_fts ON {TABLE} USING GIN (({PG_VECTOR}))"]
POSTGRES_TEARDOWN = ["DROP INDEX IF EXISTS search_document_fts"]


@dataclass(frozen=True)
class Hit:
    """One matching document: title and an excerpt with the matches marked, its group's size."""

    kind: str
    key: str
    title: str
    excerpt: str
    office: str
    plan_key: str
    total_in_kind: int


def words(query: str) -> list[str]:
    """The words of a query (letters and digits), lower case, at most MAX_WORDS."""
    return WORD.findall(query.casefold())[:MAX_WORDS]


def search(query: str, plans: QuerySet, *, per_kind: int) -> list[Hit]:
    """The best `per_kind` matches of each kind among documents of `plans`, in one query.

    Every word must match; an empty or wordless query matches nothing."""
    terms = words(query)
    if not terms:
        return []
    plan_sql, plan_params = plans.values("pk").query.sql_with_params()
    if connection.vendor == "postgresql":
        sql, params = _postgres(terms)
    else:
        sql, params = _sqlite(terms)
    ranked = f"""
        SELECT kind, key, title, excerpt, office, plan_key, total_in_kind FROM (
            SELECT d.kind, d.key, m.title_marked AS title, m.excerpt, o.name AS office,
                   p.key AS plan_key,
                   ROW_NUMBER() OVER (PARTITION BY d.kind ORDER BY m.score, d.id) AS n,
                   COUNT(*) OVER (PARTITION BY d.kind) AS total_in_kind
            FROM ({sql}) m
            JOIN {TABLE} d ON d.id = m.id
            JOIN {Plan._meta.db_table} p ON p.id = d.plan_id
            JOIN {OrgUnit._meta.db_table} o ON o.id = p.owner_id
            WHERE d.plan_id IN ({plan_sql})
        ) ranked
        WHERE n <= %s
        ORDER BY n"""
    with connection.cursor() as cursor:
        cursor.execute(ranked, [*params, *plan_params, per_kind])
        return [Hit(*row) for row in cursor.fetchall()]


def _sqlite(terms: list[str]) -> tuple[str, list[Any]]:
    match = " ".join(f'"{term}"*' for term in terms)
    sql = f"""
        SELECT rowid AS id, bm25({FTS_TABLE}, 10.0, 1.0) AS score,
               highlight({FTS_TABLE}, 0, %s, %s) AS title_marked,
               snippet({FTS_TABLE}, 1, %s, %s, '…', 24) AS excerpt
        FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"""
    marks = [HIGHLIGHT_START, HIGHLIGHT_END]
    return sql, [*marks, *marks, match]


def _postgres(terms: list[str]) -> tuple[str, list[Any]]:
    query = " & ".join(f"{term}:*" for term in terms)
    marks = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}"
    sql = f"""
        SELECT id, -ts_rank({PG_VECTOR}, q) AS score,
               ts_headline('{PG_CONFIG}', title, q, %s) AS title_marked,
               ts_headline('{PG_CONFIG}', body, q, %s) AS excerpt
        FROM {TABLE}, to_tsquery('{PG_CONFIG}', %s) q
        WHERE ({PG_VECTOR}) @@ q"""
    return sql, [
        f"HighlightAll=true, {marks}",
        f'MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ", {marks}',
        query,
    ]


def set_up(schema_editor) -> None:
    """Create the full-text index (the migration's forward step)."""
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES_SETUP if vendor == "postgresql" else SQLITE_SETUP:
        schema_editor.execute(statement)


def tear_down(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES_TEARDOWN if vendor == "postgresql" else SQLITE_TEARDOWN:
        schema_editor.execute(statement)
