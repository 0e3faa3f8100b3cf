"""Full-text search: ranked, published only, and immune to query syntax (on either database)."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.search import (
    MAX_QUERY_LENGTH,
    SEARCH_CONFIG,
    SEARCH_VECTOR_COLUMN,
    clean_query,
    search_articles,
    search_index_rebuild,
    search_terms,
)
from tests.articles.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's GIN index"
)


def test_finds_a_story_by_a_word_in_its_headline_standfirst_or_body():
    in_headline = ArticleFactory(headline="Lighthouse keeper retires")
    in_standfirst = ArticleFactory(standfirst="The old lighthouse gets a new lamp.")
    in_body = ArticleFactory(body="<p>Walkers reach the lighthouse at low tide.</p>")
    ArticleFactory(headline="Nothing to see")

    assert set(search_articles("lighthouse")) == {in_headline.pk, in_standfirst.pk, in_body.pk}


def test_headline_matches_rank_above_body_matches():
    in_body = ArticleFactory(body="<p>The regatta was cancelled because of wind.</p>")
    in_headline = ArticleFactory(headline="Regatta cancelled")

    assert search_articles("regatta") == [in_headline.pk, in_body.pk]


def test_every_word_must_match():
    both = ArticleFactory(headline="Tram line to the harbour")
    ArticleFactory(headline="Tram fares rise")

    assert search_articles("tram harbour") == [both.pk]


def test_word_forms_match_their_stem():
    story = ArticleFactory(headline="Council approves the budget")

    assert search_articles("councils") == [story.pk]


def test_only_published_stories_are_found():
    live = ArticleFactory(headline="Marathon route announced")
    ArticleFactory(headline="Marathon route draft", draft=True)
    ArticleFactory(headline="Marathon route scheduled", scheduled=True)
    ArticleFactory(headline="Marathon route review", in_review=True)

    assert search_articles("marathon") == [live.pk]


def test_index_follows_edits_and_deletions():
    story = ArticleFactory(headline="Orchard harvest begins")
    story.headline = "Vineyard harvest begins"
    story.save()
    gone = ArticleFactory(headline="Orchard closes")
    gone.delete()

    assert search_articles("orchard") == []
    assert search_articles("vineyard") == [story.pk]


def test_view_count_updates_leave_the_index_alone():
    story = ArticleFactory(headline="Glacier retreats")

    Article.objects.filter(pk=story.pk).update(view_count=99)

    assert search_articles("glacier") == [story.pk]


def test_bulk_inserted_stories_are_found():
    section = SectionFactory()
    Article.objects.bulk_create(
        [
            Article(
                headline=f"Bulk ferry story {n}",
                slug=f"bulk-{n}",
                standfirst="Loaded in one go.",
                body_text="Loaded in one go.",
                section=section,
                status=Article.Status.PUBLISHED,
                published_at=timezone.now() - timedelta(minutes=n + 1),
            )
            for n in range(3)
        ]
    )

    assert len(search_articles("ferry")) == 3


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "AND(",
        "*",
        "ferry*",
        "OR",
        "NOT ferry",
        "NEAR(ferry harbour)",
        "-",
        "^ferry",
        "ferry:",
        "headline:ferry",
        "'; DROP TABLE articles_article; --",
        "\\",
        "(",
        ")",
        "{}",
        "%",
        "ferry AND",
        "😀",
        "a" * 5000,
        "fèrry",
        "\x00",
    ],
)
def test_query_syntax_never_raises(client, query):
    ArticleFactory(headline="Ferry to the harbour")

    response = client.get("/search/", {"q": query})

    assert response.status_code == HTTPStatus.OK


def test_query_words_are_only_words():
    assert search_terms('"ferry" AND( harbour* -x') == ["ferry", "and", "harbour", "x"]


def test_operators_are_searched_as_plain_words():
    story = ArticleFactory(headline="Ferry not running")

    assert search_articles("ferry NOT running") == [story.pk]


def test_search_page_lists_results_with_count(client):
    ArticleFactory(headline="Beach cleanup draws hundreds")

    page = client.get("/search/", {"q": "beach"}).content.decode()

    assert "1 story found for “beach”" in page
    assert "Beach cleanup draws hundreds" in page


def test_empty_query_shows_how_to_search(client):
    page = client.get("/search/").content.decode()

    assert "Type one or more words" in page


def test_junk_query_gets_helpful_advice(client):
    page = client.get("/search/", {"q": "*** ((("}).content.decode()

    assert "could not find any words to look for" in page


def test_no_results_gets_helpful_advice(client):
    page = client.get("/search/", {"q": "zeppelin"}).content.decode()

    assert "No stories found for “zeppelin”" in page
    assert "Check the spelling" in page


def test_results_are_paginated_and_keep_the_query(client):
    for n in range(12):
        ArticleFactory(headline=f"Parade number {n}")

    first = client.get("/search/", {"q": "parade"}).content.decode()
    second = client.get("/search/", {"q": "parade", "page": "2"})

    assert 'href="?q=parade&amp;page=2"' in first
    assert second.status_code == HTTPStatus.OK
    assert second.content.decode().count('class="article-card__headline"') == 2


@pytest.fixture
def parades():
    for n in range(12):
        ArticleFactory(headline=f"Parade number {n}")


def test_search_page_two_links_back_to_the_query_without_a_page(client, parades):
    page = client.get("/search/", {"q": "parade", "page": "2"}).content.decode()

    assert '<a rel="prev" href="/search/?q=parade">Previous</a>' in page


def test_search_page_two_says_so_in_the_title(client, parades):
    page = client.get("/search/", {"q": "parade", "page": "2"}).content.decode()

    assert "<title>Search: parade · Page 2 · Newsroom</title>" in page


def test_query_is_escaped_on_the_page(client):
    page = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_control_characters_are_dropped_before_searching_and_echoing(client):
    ArticleFactory(headline="Ferry times change")

    response = client.get("/search/", {"q": "ferry\x00\x1b\u202etimes"})

    assert "1 story found for “ferry times”" in response.content.decode()


def test_control_characters_never_reach_the_page(client):
    page = client.get("/search/", {"q": "ferry\x00\x07\x9b"}).content.decode()

    assert [char for char in page if char in "\x00\x07\x9b"] == []


def test_query_with_only_control_characters_is_empty(client):
    page = client.get("/search/", {"q": "\x00\x01\t"}).content.decode()

    assert "Type one or more words" in page


def test_long_query_is_cut_before_the_word_the_limit_falls_in():
    query = "harbour " * 40  # the limit (200) falls inside the 26th "harbour"

    cleaned = clean_query(query)

    assert cleaned == " ".join(["harbour"] * 25)


def test_long_query_ending_exactly_at_a_word_keeps_that_word():
    words = ["a" * 9] * 20  # 20 words of 9 letters and 19 spaces: 199 characters
    query = " ".join(words) + " b" + " extra" * 10  # "b" is characters 200 and 201

    assert clean_query(query) == " ".join(words)


def test_long_query_of_one_word_is_cut_at_the_limit():
    assert clean_query("a" * 5000) == "a" * MAX_QUERY_LENGTH


def test_search_page_echoes_a_long_query_in_whole_words(client):
    page = client.get("/search/", {"q": "harbour " * 40}).content.decode()

    assert f'value="{" ".join(["harbour"] * 25)}"' in page


@on_sqlite
def test_sqlite_index_triggers_exist_after_all_migrations():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master"
            " WHERE type = 'trigger' AND tbl_name = 'articles_article'"
        )
        triggers = {row[0] for row in cursor.fetchall()}

    assert triggers == {
        "articles_article_fts_insert",
        "articles_article_fts_update",
        "articles_article_fts_delete",
    }


@on_sqlite
def test_sqlite_index_can_be_rebuilt_after_losing_its_triggers():
    with connection.cursor() as cursor:  # as a rebuild of the story table does
        for trigger in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER articles_article_fts_{trigger}")
    story = ArticleFactory(headline="Lost in the index")
    assert search_articles("lost") == []

    search_index_rebuild()

    assert search_articles("lost") == [story.pk]


@on_postgresql
def test_postgresql_search_uses_the_gin_index_on_the_stored_vector():
    ArticleFactory(headline="Harbour ferry")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned
        cursor.execute("SET LOCAL enable_indexscan = off")  # not the keyset walk either
        cursor.execute(
            f"EXPLAIN SELECT id FROM articles_article WHERE {SEARCH_VECTOR_COLUMN} "  # noqa: S608
            "@@ plainto_tsquery(%s::regconfig, 'ferry')",
            [SEARCH_CONFIG],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "articles_article_search_vector_gin" in plan
