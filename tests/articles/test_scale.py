"""
A million stories: the story lookup and the lists use an index, pages are
bounded and have one address each, and dates at the calendar's edges are 404s.

Plans are read from the database itself: `EXPLAIN QUERY PLAN` on SQLite and
`EXPLAIN` on PostgreSQL (with sequential scans and sorts priced out, because
on a table of a few rows PostgreSQL rightly prefers them; what is asserted is
that an index *can* serve the query). A "full scan" is a SQLite `SCAN` of the
story table without an index, a temporary B-tree to sort it, or a PostgreSQL
`Seq Scan` / `Sort` over it. The tables are analyzed first (`analyze()`), as
they are in production.
"""

import re
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
)
from tests.articles.test_admin import ADD_URL, LIST_URL, form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STORY_TABLE = "articles_article"


def plan(sql: str) -> list[str]:
    """The database's plan for `sql`, one line per step."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}")
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in cursor.fetchall()]


def story_table_scans(sql: str) -> list[str]:
    """The steps of `sql`'s plan that read or sort the whole story table."""
    if connection.vendor == "postgresql":
        return [
            line
            for line in plan(sql)
            if re.search(rf"Seq Scan on {STORY_TABLE}\b", line)
            or (line.strip().startswith("->  Sort") or line.startswith("Sort"))
        ]
    aliases = {STORY_TABLE} | set(re.findall(rf'"{STORY_TABLE}" "?(\w+)"?', sql))
    return [
        line
        for line in plan(sql)
        if (re.fullmatch(r"SCAN (\w+)", line) and line.split()[1] in aliases)
        or ("USE TEMP B-TREE FOR ORDER BY" in line and re.search(rf"FROM \"{STORY_TABLE}\"", sql))
    ]


#: Statistics of a newsroom with a million stories, per indexed column: rows per
#: distinct value (a few statuses, sections, authors and tags; everything else
#: nearly unique).
MILLION = 1_000_000
ROWS_PER_VALUE = {
    "status": MILLION // 3,
    "section_id": MILLION // 10,
    "author_id": MILLION // 20,
    "tag_id": MILLION // 20,
    "created_by_id": MILLION // 20,
}
STATISTICS_TABLES = [STORY_TABLE, "articles_articleauthor", "articles_article_tags"]


def analyze() -> None:
    """Planner statistics as they are in production, at a million stories.

    Production keeps real ones (PRAGMA optimize on SQLite, autovacuum on
    PostgreSQL). A test database holds a few rows, and real statistics of a
    few rows rightly make SQLite scan; so on SQLite the statistics of a
    million-story archive are written into sqlite_stat1 and loaded, the
    approach SQLite documents for testing plans (https://sqlite.org/fileformat2.html#stat1tab).
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor != "sqlite":
            return
        for table in STATISTICS_TABLES:
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
            cursor.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, NULL, %s)",
                [table, str(MILLION)],
            )
            cursor.execute(f'PRAGMA index_list("{table}")')
            for index in [row[1] for row in cursor.fetchall()]:
                cursor.execute(f'PRAGMA index_info("{index}")')
                columns = [row[2] for row in cursor.fetchall()]
                stat, rows = [MILLION], MILLION
                for column in columns:
                    rows = max(1, rows * ROWS_PER_VALUE.get(column, 1) // MILLION)
                    stat.append(rows)
                cursor.execute(
                    "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)",
                    [table, index, " ".join(map(str, stat))],
                )
        # A handful of sections, tags and authors.
        for table in ["articles_section", "articles_tag", "articles_author"]:
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
            cursor.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, NULL, '20')", [table]
            )
        cursor.execute("ANALYZE sqlite_schema")  # load the statistics


def story_queries(client, path: str) -> list[str]:
    """The SQL of every SELECT on the story table that answering `path` runs."""
    analyze()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == HTTPStatus.OK, path
    # PostgreSQL runs iterator() queries through a server-side cursor.
    sqls = [re.sub(r"^DECLARE .*? CURSOR .*?FOR ", "", q["sql"]) for q in captured.captured_queries]
    # "Most read" ranks the last hours' view counts (articles_hourlyviewcount,
    # views engineer's, cached as a fragment): not a walk of the story table.
    return [
        sql
        for sql in sqls
        if sql.startswith("SELECT")
        and f'"{STORY_TABLE}"' in sql
        and "articles_hourlyviewcount" not in sql
    ]


@pytest.fixture
def newsroom():
    section = SectionFactory(slug="city")
    tag = TagFactory(slug="harbour")
    author = AuthorFactory(slug="mira-holt")
    now = timezone.now()
    stories = [
        ArticleFactory(
            section=section,
            tags=[tag],
            authors=[author],
            headline=f"Ferry story {n}",
            published_at=now - timedelta(hours=n + 1),
        )
        for n in range(15)
    ]
    return stories[5]


PAGES = [
    "/",
    "/?page=2",
    "/section/city/",
    "/section/city/?page=2",
    "/tag/harbour/",
    "/author/mira-holt/",
    "{year}/",
    "{month}/",
    "{story}",
    "/feed/",
    "/feed/atom/",
    "/sitemap-news.xml",
    "/sitemap.xml",
    "/sitemap-stories-{month_dash}.xml",
    "/archive/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_public_page_scans_the_story_table(client, newsroom, path):
    local = timezone.localtime(newsroom.published_at)
    path = path.format(
        year=f"/{local:%Y}",
        month=f"/{local:%Y/%m}",
        month_dash=f"{local:%Y-%m}",
        story=newsroom.get_absolute_url(),
    )

    queries = story_queries(client, path)

    assert queries
    assert {sql: story_table_scans(sql) for sql in queries if story_table_scans(sql)} == {}


@pytest.mark.parametrize("path", ["/sitemap.xml", "/archive/"])
def test_months_of_every_story_are_worked_out_once_per_change(
    client, newsroom, path, django_capture_on_commit_callbacks
):
    """The sitemap index's months and the archive's counts read every month
    of the archive: kept as shared fragments until the lists change."""
    client.get(path)
    with CaptureQueriesContext(connection) as kept:
        client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(published_at=newsroom.published_at - timedelta(days=400))
    with CaptureQueriesContext(connection) as after_publishing:
        client.get(path)

    assert not [q for q in kept.captured_queries if f'"{STORY_TABLE}"' in q["sql"]]
    assert [q for q in after_publishing.captured_queries if f'"{STORY_TABLE}"' in q["sql"]]


def test_story_lookup_seeks_the_slug_index(client, newsroom):
    lookup = next(
        sql
        for sql in story_queries(client, newsroom.get_absolute_url())
        if '"slug" = ' in sql and "published_at" in sql
    )

    steps = " ".join(plan(lookup))

    assert "articles_article_unique_slug_per_day" in steps
    assert "django_datetime_cast_date" not in lookup  # no function over the column


def test_previous_and_next_are_row_value_comparisons(client, newsroom):
    queries = story_queries(client, newsroom.get_absolute_url())
    neighbours = [sql for sql in queries if re.search(r'\("?\w*"?\."published_at", ', sql)]

    assert len(neighbours) == 2
    assert all(not story_table_scans(sql) for sql in neighbours)
    older, newer = newsroom.previous_published(), newsroom.next_published()
    assert older.published_at < newsroom.published_at < newer.published_at


def test_previous_and_next_break_ties_by_id():
    moment = timezone.now() - timedelta(hours=1)
    first, second, third = (ArticleFactory(published_at=moment) for _ in range(3))

    assert second.previous_published() == first
    assert second.next_published() == third


# --- Pages have one address each, and a bounded depth ---------------------------


NON_CANONICAL = ["02", "+2", "٢", "\uff12", "0_2", " 2", "2 ", "2.0", "1"]


@pytest.mark.parametrize(
    "path",
    ["/", "/section/city/", "/tag/harbour/", "/author/mira-holt/", "/2026/", "/2026/02/"],
)
def test_only_the_canonical_page_number_serves_a_page(client, path):
    section, tag = SectionFactory(slug="city"), TagFactory(slug="harbour")
    author = AuthorFactory(slug="mira-holt")
    for day in range(1, 26):
        ArticleFactory(
            section=section,
            tags=[tag],
            authors=[author],
            published_at=datetime(2026, 2, day, 12, tzinfo=UTC),
        )

    served = {
        spelling: client.get(f"{path}?page={spelling}").status_code
        for spelling in ["2", *NON_CANONICAL]
    }

    assert served == {"2": HTTPStatus.OK} | dict.fromkeys(NON_CANONICAL, HTTPStatus.NOT_FOUND)


def test_a_repeated_page_parameter_is_404(client):
    ArticleFactory.create_batch(13)

    assert client.get("/?page=2&page=2").status_code == HTTPStatus.NOT_FOUND


def test_search_pages_take_only_canonical_numbers(client):
    ArticleFactory.create_batch(11, headline="Ferry news")

    served = {
        spelling: client.get(f"/search/?q=ferry&page={spelling}").status_code
        for spelling in ["2", *NON_CANONICAL]
    }

    assert served == {"2": HTTPStatus.OK} | dict.fromkeys(NON_CANONICAL, HTTPStatus.NOT_FOUND)


@pytest.mark.parametrize(
    "path", ["/preview/0{pk}/", "/preview/00{pk}/", "/api/views/0{pk}/", "/cart/add/01/"]
)
def test_ids_in_addresses_have_one_spelling(client, path):
    story = ArticleFactory()
    client.force_login(UserFactory(editor=True))

    response = (
        client.post(path.format(pk=story.pk))
        if "api" in path
        else client.get(path.format(pk=story.pk))
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/preview/{story.pk}/").status_code == HTTPStatus.OK


def test_lists_count_a_bounded_number_of_rows(client, settings, django_assert_max_num_queries):
    ArticleFactory.create_batch(30, section=SectionFactory(slug="city"))

    with CaptureQueriesContext(connection) as captured:
        client.get("/section/city/")

    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert counts
    assert all("LIMIT" in sql for sql in counts)


def test_the_deepest_page_is_bounded_and_points_to_the_archive(client, monkeypatch):
    monkeypatch.setattr("articles.views.MAX_PAGES", 2)
    monkeypatch.setattr("articles.views.StoryListView.max_pages", 2)
    section = SectionFactory(slug="city")
    start = datetime(2026, 3, 31, 12, tzinfo=UTC)
    for n in range(30):
        ArticleFactory(section=section, published_at=start - timedelta(days=n))

    last = client.get("/section/city/?page=2").content.decode()
    beyond = client.get("/section/city/?page=3")

    assert beyond.status_code == HTTPStatus.NOT_FOUND
    assert "Page 2</li>" in last  # no "of N": the list goes on in the archive
    assert 'href="/2026/03/">Older stories: March 2026</a>' in last


# --- Dates at the edges: 404 in every time zone -----------------------------------


EDGE_PATHS = [
    "/9999/",
    "/9999/12/",
    "/9999/12/31/",
    "/0001/",
    "/0001/01/",
    "/9999/12/31/no-such-story/",
    "/0001/01/01/no-such-story/",
    "/0000/",
    "/2026/00/",
    "/2026/13/",
    "/2026/02/30/no-such-story/",
    "/sitemap-stories-9999-12.xml",
    "/sitemap-stories-0001-01.xml",
]


@pytest.mark.parametrize(
    "zone", ["UTC", "America/New_York", "Asia/Tokyo", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
)
def test_dates_outside_the_calendar_are_404_in_every_time_zone(client, settings, zone):
    settings.TIME_ZONE = zone
    ArticleFactory()

    served = {path: client.get(path).status_code for path in EDGE_PATHS}

    assert served == dict.fromkeys(EDGE_PATHS, HTTPStatus.NOT_FOUND)


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo"])
def test_a_story_is_found_on_its_local_day(client, settings, zone):
    settings.TIME_ZONE = zone
    story = ArticleFactory(published_at=datetime(2026, 5, 2, 1, 0, tzinfo=UTC))
    local = timezone.localtime(story.published_at)

    response = client.get(story.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert f"/{local:%Y/%m/%d}/" in story.get_absolute_url()
    assert client.get(f"/{local:%Y/%m}/").status_code == HTTPStatus.OK


# --- The unique slug per day follows TIME_ZONE --------------------------------------


def test_slug_per_day_follows_the_time_zone_set_after_migrating(client, settings):
    """Migrated under UTC (the test database), then TIME_ZONE=America/New_York."""
    settings.TIME_ZONE = "America/New_York"
    section, author = SectionFactory(), AuthorFactory()
    client.force_login(UserFactory(editor=True))
    created = []
    for day, time in [("2026-05-01", "21:00:00"), ("2026-05-02", "09:00:00")]:
        response = client.post(
            ADD_URL,
            form_data(
                section=section,
                author=author,
                slug="harbour-plan",
                status="published",
                published_at_0=day,
                published_at_1=time,
            ),
        )
        assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
        created.append(Article.objects.latest("pk"))

    assert [story.get_absolute_url() for story in created] == [
        "/2026/05/01/harbour-plan/",
        "/2026/05/02/harbour-plan/",
    ]
    for story in created:
        assert client.get(story.get_absolute_url()).context["article"] == story


def test_a_second_story_on_the_same_local_day_is_a_form_error(client, settings):
    settings.TIME_ZONE = "America/New_York"
    section, author = SectionFactory(), AuthorFactory()
    client.force_login(UserFactory(editor=True))
    for time in ["00:30:00", "23:30:00"]:
        response = client.post(
            ADD_URL,
            form_data(
                section=section,
                author=author,
                slug="harbour-plan",
                status="published",
                published_at_0="2026-05-01",
                published_at_1=time,
            ),
        )

    assert response.status_code == HTTPStatus.OK
    assert "Another story published that day has this slug." in response.content.decode()
    assert Article.objects.filter(slug="harbour-plan").count() == 1


# --- The admin at a million ----------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "published_at__year=9999",
        "published_at__year=99999999999999999999",
        "published_at__year=0",
        "published_at__year=+2026",
        "published_at__year=2026&published_at__month=13",
        "published_at__year=2026&published_at__month=02&published_at__day=30",
        "published_at__year=2026&published_at__day=3",
        "published_at__month=2",
        "p=٢",
        "p=+2",
    ],
)
def test_admin_drill_down_and_page_out_of_range_are_an_error_message(client, query):
    ArticleFactory.create_batch(3)
    client.force_login(UserFactory(editor=True))

    response = client.get(f"{LIST_URL}?{query}")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith("?e=1")


def test_admin_year_one_east_of_utc_is_an_error_message(client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    ArticleFactory()
    client.force_login(UserFactory(editor=True))

    response = client.get(f"{LIST_URL}?published_at__year=1")

    assert response.status_code == HTTPStatus.FOUND


def test_admin_story_list_counts_no_whole_table_and_no_distinct_dates(client):
    for year in (2024, 2025, 2026):
        ArticleFactory(published_at=datetime(year, 3, 1, tzinfo=UTC))
    client.force_login(UserFactory(editor=True))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST_URL)

    page = response.content.decode()
    sqls = [q["sql"] for q in captured.captured_queries]
    assert response.status_code == HTTPStatus.OK
    assert all("LIMIT" in sql for sql in sqls if "COUNT(" in sql)
    assert not any("DISTINCT" in sql for sql in sqls if f'"{STORY_TABLE}"' in sql)
    for year in ("2024", "2025", "2026"):
        assert f"published_at__year={year}" in page


def test_admin_drill_down_lists_only_months_with_stories(client):
    for month in (2, 7):
        ArticleFactory(published_at=datetime(2025, month, 10, tzinfo=UTC))
    ArticleFactory(published_at=datetime(2026, 1, 10, tzinfo=UTC))
    client.force_login(UserFactory(editor=True))

    page = client.get(f"{LIST_URL}?published_at__year=2025").content.decode()

    assert "published_at__month=2" in page
    assert "published_at__month=7" in page
    assert "published_at__month=3" not in page


def test_admin_story_list_uses_an_index(client):
    ArticleFactory.create_batch(3)
    client.force_login(UserFactory(editor=True))

    analyze()
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST_URL)

    listing = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT")
        and f'FROM "{STORY_TABLE}"' in q["sql"]
        and "ORDER BY" in q["sql"]
    ]
    assert listing
    assert {sql: story_table_scans(sql) for sql in listing if story_table_scans(sql)} == {}


def test_admin_story_list_joins_no_table_to_the_stories(client):
    """A join lets SQLite loop over the sections outside and sort every story."""
    for section in SectionFactory.create_batch(3):
        ArticleFactory.create_batch(2, section=section)
    client.force_login(UserFactory(editor=True))

    with CaptureQueriesContext(connection) as captured:
        page = client.get(LIST_URL).content.decode()

    listing = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(f'SELECT "{STORY_TABLE}"."id", ') and "ORDER BY" in q["sql"]
    ]
    assert len(listing) == 1
    assert "JOIN" not in listing[0]
    assert all(story.section.name in page for story in Article.objects.all())


#: sqlite_stat1 of the million-story bench database after PRAGMA optimize
#: (analysis_limit 1000): each index's row count extrapolated differently.
SAMPLED_STATISTICS = {
    "articles_published_at_id_idx": "4230000 1 1",
    "articles_live_keyset_idx": "5256960 501 1 1",
    "articles_section_keyset_idx": "3492225 1001 1 1",
    "articles_article_unique_slug_per_day": "627264 1 1",
    "articles_article_slug_cc61df93": "402132 1",
}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's sampled statistics")
@pytest.mark.parametrize("page", ["", "?p=2"])
def test_admin_story_list_reads_its_page_by_ids_whatever_the_statistics(client, page):
    """With sampled statistics SQLite read and sorted the whole story table for
    `ORDER BY published_at DESC, id DESC LIMIT 100`; the ids come first."""
    ArticleFactory.create_batch(101)
    client.force_login(UserFactory(editor=True))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [STORY_TABLE])
        for index, stat in SAMPLED_STATISTICS.items():
            cursor.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)",
                [STORY_TABLE, index, stat],
            )
        cursor.execute("ANALYZE sqlite_schema")

    with CaptureQueriesContext(connection) as captured:
        client.get(LIST_URL + page)

    (listing,) = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(f'SELECT "{STORY_TABLE}"."id", ') and "ORDER BY" in q["sql"]
    ]
    steps = plan(listing)
    # A hundred rows by primary key (sorted in a small temporary B-tree), their
    # ids from a covering index: no step reads the story table itself.
    assert f"SEARCH {STORY_TABLE} USING INTEGER PRIMARY KEY (rowid=?)" in steps
    assert f"SCAN {STORY_TABLE}" not in steps, steps


# --- SQLite keeps its planner statistics current -----------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's PRAGMA optimize")
def test_sqlite_connections_run_optimize_before_closing(tmp_path):
    import sqlite3

    from newsroom.sqlite.base import DatabaseWrapper

    path = tmp_path / "stats.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE story (section INTEGER, headline TEXT)")
    setup.execute("CREATE INDEX story_section ON story (section)")
    setup.executemany("INSERT INTO story VALUES (?, ?)", [(n % 7, "x") for n in range(2000)])
    setup.commit()
    setup.close()
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, alias="stats")
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM story WHERE section = 3")

    wrapper.close()

    check = sqlite3.connect(path)
    assert check.execute("SELECT tbl, idx FROM sqlite_stat1").fetchall() == [
        ("story", "story_section")
    ]


# --- One upper bound on the publication time -----------------------------------------


def sqlite_steps(sqls: list[str]) -> int:
    """How much work SQLite does to answer `sqls`, in virtual machine steps
    (a progress handler called every 10 instructions): a measure of rows
    read that, unlike time, is the same on every machine."""
    steps = 0

    def count():
        nonlocal steps
        steps += 1
        return 0

    raw = connection.connection
    raw.set_progress_handler(count, 10)
    try:
        for sql in sqls:
            raw.execute(sql).fetchall()
    finally:
        raw.set_progress_handler(None, 0)
    return steps


@pytest.fixture
def three_years():
    """A story a day for three years (bulk-inserted), ending yesterday."""
    from articles.models import publication_day

    section = SectionFactory(slug="city")
    end = timezone.now().replace(microsecond=0) - timedelta(days=1)
    moments = [end - timedelta(days=n) for n in range(3 * 365)]
    Article.objects.bulk_create(
        Article(
            headline=f"Day {n}",
            slug=f"day-{n}",
            standfirst="A day.",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=moment,
            published_on=publication_day(moment),
        )
        for n, moment in enumerate(moments)
    )
    return Article.objects.order_by("published_at").first(), Article.objects.first()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's choice of index range")
@pytest.mark.parametrize(
    "page",
    ["story", "sitemap-stories-{month_dash}.xml", "{month}/", "{year}/"],
)
def test_a_page_about_long_ago_reads_no_more_than_one_about_today(client, three_years, page):
    """Given `published_at <= now` and another upper bound (the end of a
    month, the keyset of a story), SQLite ends its index range at the first
    in the WHERE clause; from now back to 2023 it read the whole archive."""
    oldest, newest = three_years

    def path(story, months_inwards: int):
        if page == "story":
            return story.get_absolute_url()
        # A whole month (the first and last ones are partial), in the same year.
        local = timezone.localtime(story.published_at + timedelta(days=31 * months_inwards))
        return "/" + page.format(
            month_dash=f"{local:%Y-%m}", month=f"{local:%Y/%m}", year=f"{local:%Y}"
        ).lstrip("/")

    long_ago = sqlite_steps(story_queries(client, path(oldest, 1)))
    today = sqlite_steps(story_queries(client, path(newest, -1)))

    assert long_ago <= 2 * today, (long_ago, today)
