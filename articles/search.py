"""
Full-text search over published stories: the one place with raw SQL.

One interface, two engines: SQLite's FTS5 (the index and its triggers come
from migration 0002) and PostgreSQL's full-text search (a GIN index on the
same weighted vector as `SEARCH_VECTOR`, also from migration 0002). Both rank
headline matches above standfirst matches above body matches, and both search
only `Article.objects.published()`, the one definition of published.

User input never reaches either query language as syntax: the query is cut
into words, and only the words are searched for (all of them). So `"`, `AND(`
or `*` cannot raise a syntax error; a query with no words finds nothing.
`clean_query()` tidies what the reader typed before it is searched for or
shown back to them.
"""

import re
from importlib import import_module

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection

from articles.models import Article

#: Enough for a reader to page through; ranking makes the rest irrelevant.
MAX_RESULTS = 500
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
FTS_TABLE = "articles_article_fts"
#: bm25 weights for headline, standfirst and body text.
FTS_WEIGHTS = (10.0, 4.0, 1.0)

SEARCH_VECTOR = (
    SearchVector("headline", weight="A", config="english")
    + SearchVector("standfirst", weight="B", config="english")
    + SearchVector("body_text", weight="C", config="english")
)

_WORD = re.compile(r"\w+", re.UNICODE)
_TRAILING_WORD = re.compile(r"\w+\Z", re.UNICODE)
#: C0 and C1 control characters (NUL, escape, ...) and the bidirectional
#: embedding, override and isolate marks, which could make the echoed query
#: display as something else. Tabs and newlines are controls too: they become spaces.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_query(raw: str | None) -> str:
    """The reader's query without control characters or runs of spaces, and at most
    MAX_QUERY_LENGTH long, cut before the word the limit falls in (unless that is
    the only word) so the query shown and searched for ends in a whole word.
    """
    query = " ".join(_CONTROL.sub(" ", raw or "").split())
    if len(query) <= MAX_QUERY_LENGTH:
        return query
    # One character past the limit tells whether the limit falls inside a word.
    head = query[: MAX_QUERY_LENGTH + 1]
    whole_words = _TRAILING_WORD.sub("", head)[:MAX_QUERY_LENGTH].rstrip()
    return whole_words or query[:MAX_QUERY_LENGTH]


def search_terms(query: str) -> list[str]:
    """The words of a reader's query, lower-cased, without repeats: nothing else is searched."""
    terms: list[str] = []
    for word in _WORD.findall(clean_query(query).lower()):
        word = word.strip("_")
        if word and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def search_articles(query: str, *, limit: int = MAX_RESULTS) -> list[int]:
    """Ids of published stories matching every word of `query`, best match first."""
    terms = search_terms(query)
    if not terms:
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(terms, limit)
    return _search_sqlite(terms, limit)


def _search_postgresql(terms: list[str], limit: int) -> list[int]:
    search_query = SearchQuery(" ".join(terms), search_type="plain", config="english")
    return list(
        Article.objects.published()
        .annotate(search=SEARCH_VECTOR)
        .filter(search=search_query)
        .annotate(rank=SearchRank(SEARCH_VECTOR, search_query))
        .order_by("-rank", "-published_at", "-pk")
        .values_list("pk", flat=True)[:limit]
    )


def _search_sqlite(terms: list[str], limit: int) -> list[int]:
    # Each word becomes an FTS5 string ("word"), so nothing in it is syntax;
    # words separated by spaces must all match.
    match = " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    published_sql, published_params = (
        Article.objects.published().order_by().values("pk").query.sql_with_params()
    )
    weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
    # MATERIALIZED makes SQLite run the MATCH once, then filter; with a plain
    # `rowid IN (...)` beside the MATCH it runs the MATCH once per story.
    sql = (
        f"WITH matches AS MATERIALIZED ("  # noqa: S608 (no user input in the f-string)
        f"SELECT rowid AS id, bm25({FTS_TABLE}, {weights}) AS rank "
        f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
        f"SELECT id FROM matches WHERE id IN ({published_sql}) "
        f"ORDER BY rank, id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *published_params, limit])
        return [row[0] for row in cursor.fetchall()]


def search_index_rebuild() -> None:
    """Re-create the SQLite index and its triggers and refill it (a no-op on PostgreSQL).

    For after a migration that made Django rebuild the article table on SQLite.
    """
    if connection.vendor != "sqlite":
        return
    migration = import_module("articles.migrations.0002_article_search_index")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_CREATE:
            cursor.execute(statement)
