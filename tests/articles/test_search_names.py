"""Search finds people and topics, ignores accents, suggests spellings, and stays bounded."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.models import Article
from articles.search import search_articles, search_suggestion, search_topics
from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomas():
    return AuthorFactory(name="Tomás Ruiz", slug="tomas-ruiz")


def test_accentless_author_name_finds_his_stories(tomas):
    story = ArticleFactory(headline="Tide tables for the winter", authors=[tomas])
    ArticleFactory(headline="Another story")

    assert search_articles("Tomas") == [story.pk]


def test_accented_query_finds_an_accentless_name():
    story = ArticleFactory(authors=[AuthorFactory(name="Jose Alvarez")])

    assert search_articles("José Álvarez") == [story.pk]


def test_accents_are_ignored_in_headlines_too():
    story = ArticleFactory(headline="Café owners protest new rules")

    assert search_articles("cafe") == [story.pk]


#: Fixed words for stories found by a name that is also an English word:
#: Faker's random text draws from a word list that holds "garden" and "sport"
#: (a standfirst once said "garden", which stems as "gardening" does).
PLAIN_WORDS = {"headline": "Council meets", "standfirst": "The council met on Tuesday."}


def test_tag_and_section_names_find_their_stories():
    tagged = ArticleFactory(tags=[TagFactory(name="Heatwave", slug="heatwave")], **PLAIN_WORDS)
    in_section = ArticleFactory(
        section=SectionFactory(name="Gardening", slug="gardening"), **PLAIN_WORDS
    )

    assert search_articles("heatwave") == [tagged.pk]
    assert search_articles("gardening") == [in_section.pk]


def test_names_and_words_combine(tomas):
    both = ArticleFactory(headline="Harbour dredging starts", authors=[tomas])
    ArticleFactory(headline="Harbour dredging ends")

    assert search_articles("tomas harbour") == [both.pk]


def test_index_follows_a_changed_byline(tomas):
    story = ArticleFactory(authors=[tomas])
    story.bylines.all().delete()

    assert search_articles("tomas") == []


def test_index_follows_an_author_rename(tomas):
    story = ArticleFactory(authors=[tomas])
    tomas.name = "Tomasz Nowak"
    tomas.save()

    assert search_articles("nowak") == [story.pk]
    assert search_articles("ruiz") == []


def test_index_follows_tags_added_and_deleted():
    tag = TagFactory(name="Floods", slug="floods")
    story = ArticleFactory()
    story.tags.add(tag)
    assert search_articles("floods") == [story.pk]

    tag.delete()

    assert search_articles("floods") == []


def test_index_follows_a_story_moving_section():
    story = ArticleFactory(section=SectionFactory(name="Sport", slug="sport"), **PLAIN_WORDS)
    story.section = SectionFactory(name="Weather", slug="weather")
    story.save()

    assert search_articles("weather") == [story.pk]
    assert search_articles("sport") == []


# --- Pages above the stories --------------------------------------------------------


def cards(stories):
    return list(Article.objects.filter(pk__in=[s.pk for s in stories]).for_cards())


def test_matching_author_tag_and_section_pages_are_offered(tomas):
    tag = TagFactory(name="Elections", slug="elections")
    story = ArticleFactory(authors=[tomas], tags=[tag])

    topics = search_topics(query="tomas election", stories=cards([story]))

    assert {(topic.kind, topic.name, topic.url) for topic in topics} == {
        ("author", "Tomás Ruiz", tomas.get_absolute_url()),
        ("tag", "Elections", tag.get_absolute_url()),
    }


def test_search_page_links_the_author_page_above_the_stories(client, tomas):
    ArticleFactory(headline="Tide tables", authors=[tomas])

    page = client.get(reverse("articles:search"), {"q": "tomas"}).content.decode()

    link = f'href="{tomas.get_absolute_url()}"'
    assert link in page
    assert page.index(link) < page.index('class="article-card__headline"')


def test_unrelated_names_are_not_offered():
    story = ArticleFactory(headline="Harbour news", tags=[TagFactory(name="Ports", slug="ports")])

    assert search_topics(query="harbour", stories=cards([story])) == []


# --- Spelling -----------------------------------------------------------------------


def test_no_results_suggests_a_spelling_that_finds_stories(client):
    ArticleFactory(headline="Council approves the budget")

    page = client.get(reverse("articles:search"), {"q": "counsil budgte"}).content.decode()

    assert 'Did you mean <a href="?q=council+budget">council budget</a>?' in page


def test_suggestion_comes_from_author_names(tomas):
    ArticleFactory(authors=[tomas])

    assert search_suggestion("Ruis") == "Ruiz"


def test_no_suggestion_for_words_the_vocabulary_knows_or_nothing_close():
    ArticleFactory(headline="Council approves the budget")

    assert search_suggestion("council") == ""
    assert search_suggestion("xylophone") == ""


# --- Bounded at scale ---------------------------------------------------------------


def test_only_the_newest_matches_are_scored(monkeypatch):
    # Entered in publication order, as a newsroom does: newest last. (SQLite
    # takes the newest by entry order, PostgreSQL by publication time.)
    stories = [
        ArticleFactory(
            headline=f"Council story {n}", published_at=timezone.now() - timedelta(hours=5 - n)
        )
        for n in range(5)
    ]
    monkeypatch.setattr(search, "CANDIDATES", 3)

    found = search_articles("council")

    assert sorted(found) == sorted(story.pk for story in stories[-3:])


def test_recent_stories_rank_above_equally_relevant_old_ones(tomas):
    same = {"headline": "Ferry strike", "standfirst": "Crossings stop.", "authors": [tomas]}
    same["section"] = SectionFactory()
    new = ArticleFactory(**same, published_at=timezone.now() - timedelta(days=1))
    # Entered later, so without the recency rule it would come first.
    old = ArticleFactory(**same, published_at=timezone.now() - timedelta(days=900))

    assert search_articles("ferry strike") == [new.pk, old.pk]


def test_much_better_match_still_beats_a_little_newer_one():
    in_body = ArticleFactory(
        headline="Weekend roundup",
        body="<p>Also: the ferry.</p>",
        published_at=timezone.now() - timedelta(days=1),
    )
    in_headline = ArticleFactory(
        headline="Ferry returns", published_at=timezone.now() - timedelta(days=3)
    )

    assert search_articles("ferry") == [in_headline.pk, in_body.pk]


def _plan(sql: str) -> str:
    """The plan of an executed statement (captured with its parameters filled in)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def test_search_query_does_not_scan_the_story_table():
    for n in range(3):
        ArticleFactory(headline=f"Council meeting {n}")
    with CaptureQueriesContext(connection) as queries:
        assert len(search_articles("council")) == 3
    (query,) = queries.captured_queries
    plan = _plan(query["sql"])

    assert "articles_article" in plan
    if connection.vendor == "sqlite":
        assert not re.search(r"SCAN articles_article\b(?!_fts)", plan)
        assert "SEARCH articles_article USING INTEGER PRIMARY KEY" in plan
    else:
        assert "Seq Scan on articles_article" not in plan
        # The stored vector is tested (migration 0019), never computed per story.
        assert "search_vector @@" in plan, plan
        assert "to_tsvector" not in plan, plan


@pytest.mark.parametrize("stories", [2, 12])
def test_search_page_query_budget_does_not_grow(client, warm_site_caches, stories, tomas):
    for n in range(stories):
        ArticleFactory(headline=f"Council meeting {n}", authors=[tomas], tags=[TagFactory()])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("articles:search"), {"q": "council tomas"})

    assert response.status_code == HTTPStatus.OK
    # search, cards (+ bylines), the tags of the matching topic pages, the cart
    assert len(queries) <= 5, [query["sql"] for query in queries.captured_queries]


def test_no_results_page_query_budget(client, warm_site_caches, django_assert_max_num_queries):
    ArticleFactory(headline="Council approves the budget")

    # search, the vocabulary (4, then cached), the suggestion's search, the cart
    with django_assert_max_num_queries(7):
        client.get(reverse("articles:search"), {"q": "counsil"})


# --- The admin searches the same index ----------------------------------------------


def test_admin_search_finds_drafts_by_accentless_byline(client, tomas):
    draft = ArticleFactory(headline="Quay works", authors=[tomas], draft=True)
    ArticleFactory(headline="Other draft", draft=True)
    client.force_login(UserFactory(editor=True))

    response = client.get(reverse("admin:articles_article_changelist"), {"q": "Tomas"})

    assert list(response.context["cl"].result_list) == [draft]


def test_admin_search_does_not_use_like_over_the_story_table(client):
    ArticleFactory(headline="Quay works", draft=True)
    client.force_login(UserFactory(editor=True))

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("admin:articles_article_changelist"), {"q": "quay"})

    assert not [q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"].upper()]
