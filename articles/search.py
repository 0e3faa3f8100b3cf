"""
Full-text search over stories: the one place with raw SQL.

One interface, two engines: SQLite's FTS5 (the index and its triggers come
from migrations 0002 and 0011) and PostgreSQL's full-text search (a GIN index
on the same weighted vector as `SEARCH_VECTOR`, from migration 0011). Both
index the headline, the standfirst, the body text and `search_names` (the
byline, section and tag names), so a reader finds a writer or a topic by
name. Both fold accents both ways: `Tomas` finds `Tomás` and `Tomás` finds
`Tomas` (FTS5's `remove_diacritics 2`; PostgreSQL's `unaccent` in the
`newsroom_english` text search configuration).

Bounded at any size: a word that matches half the archive must not score
half the archive. News search weighs recency, so each engine takes only the
newest `CANDIDATES` matches (FTS5 walks its index by rowid, newest first, and
stops; PostgreSQL sorts the matching ids by publication time and keeps the
top), joins them to the story table by primary key, and scores only those.
The final order is relevance damped by age (`RECENCY_DAYS`).

User input never reaches either query language as syntax: the query is cut
into words, and only the words are searched for (all of them). So `"`, `AND(`
or `*` cannot raise a syntax error; a query with no words finds nothing.
`clean_query()` tidies what the reader typed before it is searched for or
shown back to them.
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module
from itertools import batched

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connection

from articles.models import Article, Author, Section, Tag

#: Enough for a reader to page through; ranking makes the rest irrelevant.
MAX_RESULTS = 500
#: How many of the newest matches are scored (before the published filter).
CANDIDATES = 1000
#: A story this many days old counts half as relevant as one published now.
RECENCY_DAYS = 180
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
FTS_TABLE = "articles_article_fts"
#: bm25 weights for the FTS5 columns: headline, standfirst, body text, names.
FTS_WEIGHTS = (10.0, 4.0, 1.0, 8.0)
#: PostgreSQL text search configuration: English stemming after unaccent (migration 0011).
SEARCH_CONFIG = "newsroom_english"

SEARCH_VECTOR = (
    SearchVector("headline", weight="A", config=SEARCH_CONFIG)
    + SearchVector("search_names", weight="A", config=SEARCH_CONFIG)
    + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
    + SearchVector("body_text", weight="C", config=SEARCH_CONFIG)
)

MAX_TOPICS = 6
#: Words too common to name a topic by.
TOPIC_STOP_WORDS = frozenset({"and", "the", "for", "with", "from", "of", "in", "on", "to", "by"})
#: The spelling vocabulary: names plus the words of this many recent headlines.
VOCABULARY_HEADLINES = 2000
VOCABULARY_NAMES = 5000
VOCABULARY_CACHE_KEY = "articles:search:vocabulary"
VOCABULARY_SECONDS = 60 * 60
SUGGESTION_CUTOFF = 0.75

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


def fold(text: str) -> str:
    """`text` case-folded and without accents ("Tomás" -> "tomas"), as both indexes see it."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def search_articles(
    query: str, *, limit: int = MAX_RESULTS, published_only: bool = True
) -> list[int]:
    """Ids of stories matching every word of `query`, best first, at most `limit`.

    Published stories only (`Article.objects.published()`) unless
    `published_only` is False (the admin's search, which then applies its own
    visibility rules). Only the newest CANDIDATES matches are scored; the
    order is relevance (headline and names above standfirst above body)
    divided by `1 + age in days / RECENCY_DAYS`.
    """
    terms = search_terms(query)
    if not terms:
        return []
    if connection.vendor == "postgresql":
        scored = _search_postgresql(terms, published_only=published_only)
    else:
        scored = _search_sqlite(terms, published_only=published_only)
    ranked = sorted(
        scored,
        key=lambda row: (-row[1] / (1 + max(row[2] or 0.0, 0.0) / RECENCY_DAYS), -row[0]),
    )
    return [pk for pk, _relevance, _age in ranked[:limit]]


def _search_postgresql(terms: list[str], *, published_only: bool) -> list[tuple[int, float, float]]:
    """(id, relevance, age in days) of the newest CANDIDATES matches.

    The matches come from the GIN index alone (a MATERIALIZED CTE, so the
    planner cannot instead walk the publication-time index and compute the
    vector of every story it passes), are joined to the story table by
    primary key, filtered with the published queryset's WHERE clause and cut
    to the newest CANDIDATES; only those are ranked.
    """
    search_query = SearchQuery(" ".join(terms), search_type="plain", config=SEARCH_CONFIG)
    matches_sql, matches_params = (
        Article.objects.annotate(search=SEARCH_VECTOR)
        .filter(search=search_query)
        .order_by()
        .values("pk")
        .query.sql_with_params()
    )
    where, where_params = _published_where() if published_only else ("TRUE", [])
    query = Article.objects.all().query
    rank_sql, rank_params = query.get_compiler(connection=connection).compile(
        SearchRank(SEARCH_VECTOR, search_query).resolve_expression(query)
    )
    sql = (
        f"WITH matches (id) AS MATERIALIZED ({matches_sql}), "  # noqa: S608 (no user input)
        f"newest AS MATERIALIZED (SELECT articles_article.id FROM matches "
        f"JOIN articles_article ON articles_article.id = matches.id WHERE {where} "
        f"ORDER BY articles_article.published_at DESC, articles_article.id DESC LIMIT %s) "
        f"SELECT articles_article.id, {rank_sql}, "
        f"EXTRACT(EPOCH FROM (NOW() - articles_article.published_at)) / 86400 "
        f"FROM newest JOIN articles_article ON articles_article.id = newest.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*matches_params, *where_params, CANDIDATES, *rank_params])
        return [(pk, rank, float(age or 0)) for pk, rank, age in cursor.fetchall()]


def _published_where() -> tuple[str, list]:
    """The WHERE clause of `Article.objects.published()` (on the unaliased story table)."""
    published = Article.objects.published().query
    where, params = published.where.as_sql(
        published.get_compiler(connection=connection), connection
    )
    return where, list(params)


def _search_sqlite(terms: list[str], *, published_only: bool) -> list[tuple[int, float, float]]:
    """(id, relevance, age in days) of the newest CANDIDATES matches.

    FTS5 walks the matches in rowid order, newest story first, and stops after
    CANDIDATES, so bm25 scores only those; they are joined to the story table
    by primary key, and filtered there with the published queryset's own
    WHERE clause (one definition of published).
    """
    # Each word becomes an FTS5 string ("word"), so nothing in it is syntax;
    # words separated by spaces must all match.
    match = " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    where, where_params = _published_where() if published_only else ("1", [])
    weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
    # MATERIALIZED: SQLite runs the MATCH once, with its LIMIT, before the join.
    sql = (
        f"WITH matches AS MATERIALIZED ("  # noqa: S608 (no user input in the f-string)
        f"SELECT rowid AS id, bm25({FTS_TABLE}, {weights}) AS rank "
        f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s) "
        f"SELECT articles_article.id, -matches.rank, "
        f"julianday('now') - julianday(articles_article.published_at) "
        f"FROM matches JOIN articles_article ON articles_article.id = matches.id "
        f"WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, CANDIDATES, *where_params])
        return [(pk, relevance, age) for pk, relevance, age in cursor.fetchall()]


# --- Section, tag and author pages above the stories --------------------------------


@dataclass(frozen=True)
class Topic:
    """A section, tag or author page a search points to. `kind`: "section", "tag" or "author"."""

    kind: str
    name: str
    url: str


def _word_matches(term: str, word: str) -> bool:
    """Same word, or one a form of the other ("election", "elections"); both folded."""
    if term == word:
        return True
    shorter, longer = sorted((term, word), key=len)
    return len(shorter) >= 4 and longer.startswith(shorter)


def search_topics(*, query: str, stories: list[Article]) -> list[Topic]:
    """Sections, tags and authors whose name matches a word of `query`, at most MAX_TOPICS.

    Looked for among `stories` (the first page of results, from
    `Article.objects.for_cards()`: their sections and bylines are loaded),
    so only pages with stories are offered, and it costs one query (the
    tags) however large the archive. Accent-insensitive, like the search.
    """
    terms = [
        folded
        for folded in (fold(term) for term in search_terms(query))
        if len(folded) >= 3 and folded not in TOPIC_STOP_WORDS
    ]
    if not terms or not stories:
        return []
    candidates: dict[tuple[int, str], Section | Tag | Author] = {}
    for story in stories:
        candidates.setdefault((0, story.section.get_absolute_url()), story.section)
    tags = Tag.objects.filter(articles__in=[story.pk for story in stories]).distinct()
    for tag in tags.only("name", "slug"):
        candidates.setdefault((1, tag.get_absolute_url()), tag)
    for story in stories:
        for author in story.byline_authors:
            candidates.setdefault((2, author.get_absolute_url()), author)
    kinds = ("section", "tag", "author")
    found: list[tuple[int, int, Topic]] = []
    for (order, url), item in candidates.items():
        words = _WORD.findall(fold(item.name))
        matched = sum(1 for term in terms if any(_word_matches(term, w) for w in words))
        if matched:
            found.append((matched, order, Topic(kinds[order], item.name, url)))
    found.sort(key=lambda entry: (-entry[0], entry[1], entry[2].name))
    return [topic for _matched, _order, topic in found[:MAX_TOPICS]]


# --- "Did you mean ...?" ------------------------------------------------------------


def search_vocabulary() -> dict[str, str]:
    """Words a reader may be trying to spell: folded form -> form to show.

    Section, tag and author names (at most VOCABULARY_NAMES of each) and the
    words of the VOCABULARY_HEADLINES newest headlines: bounded whatever the
    archive's size, built in four queries and cached for VOCABULARY_SECONDS.
    """
    vocabulary = cache.get(VOCABULARY_CACHE_KEY)
    if vocabulary is not None:
        return vocabulary
    vocabulary = {}
    names = [
        *Section.objects.values_list("name", flat=True)[:VOCABULARY_NAMES],
        *Tag.objects.values_list("name", flat=True)[:VOCABULARY_NAMES],
        *Author.objects.values_list("name", flat=True)[:VOCABULARY_NAMES],
    ]
    headlines = Article.objects.published().values_list("headline", flat=True)
    for text, is_name in [
        *((name, True) for name in names),
        *((headline, False) for headline in headlines[:VOCABULARY_HEADLINES]),
    ]:
        for word in _WORD.findall(text):
            if len(word) >= 3 and not word.isdigit():
                vocabulary.setdefault(fold(word), word if is_name else word.lower())
    cache.set(VOCABULARY_CACHE_KEY, vocabulary, VOCABULARY_SECONDS)
    return vocabulary


def search_suggestion(query: str) -> str:
    """A respelling of `query` from the vocabulary ("counsil" -> "council"), or "".

    Words the vocabulary knows are kept; each other word becomes its closest
    vocabulary word (difflib's ratio at least SUGGESTION_CUTOFF), if any.
    The caller checks that the suggestion finds something before offering it.
    """
    terms = search_terms(query)
    vocabulary = search_vocabulary()
    suggestion, changed = [], False
    for term in terms:
        folded = fold(term)
        if folded in vocabulary or len(folded) < 3:
            suggestion.append(term)
            continue
        close = difflib.get_close_matches(folded, vocabulary, n=1, cutoff=SUGGESTION_CUTOFF)
        if close:
            suggestion.append(vocabulary[close[0]])
            changed = True
        else:
            suggestion.append(term)
    return " ".join(suggestion) if changed else ""


# --- Keeping the index current ------------------------------------------------------


def search_names_refresh(*, article_ids: Iterable[int]) -> int:
    """Rewrite `Article.search_names` (byline, section and tag names) for these stories.

    Called by articles/receivers.py when a byline, a tag, a section or a name
    changes; the index follows through its triggers (SQLite) or its
    expression (PostgreSQL). Works in chunks of 500 ids (an iterable or a
    values_list queryset), four queries each, and writes only rows whose text
    changed. Returns how many rows it wrote.
    """
    Byline = Article._meta.get_field("bylines").related_model
    tags = Article.tags.through
    written = 0
    for chunk in batched(article_ids, 500):
        current, names = {}, {}
        for pk, text, section in Article.objects.filter(pk__in=chunk).values_list(
            "pk", "search_names", "section__name"
        ):
            current[pk], names[pk] = text, [section]
        for pk, author in (
            Byline.objects.filter(article_id__in=chunk)
            .order_by("order", "pk")
            .values_list("article_id", "author__name")
        ):
            names[pk].append(author)
        for pk, tag in (
            tags.objects.filter(article_id__in=chunk)
            .order_by("tag__name")
            .values_list("article_id", "tag__name")
        ):
            names[pk].append(tag)
        changed = [
            Article(pk=pk, search_names=text)
            for pk, text in ((pk, " ".join(words)) for pk, words in names.items())
            if text != current[pk]
        ]
        if changed:
            Article.objects.bulk_update(changed, ["search_names"])
            written += len(changed)
    return written


def search_index_rebuild() -> None:
    """Re-create the SQLite index and its triggers and refill it (a no-op on PostgreSQL).

    For after a migration that made Django rebuild the article table on SQLite.
    """
    if connection.vendor != "sqlite":
        return
    migration = import_module("articles.migrations.0011_search_covers_names_and_accents")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_CREATE:
            cursor.execute(statement)
