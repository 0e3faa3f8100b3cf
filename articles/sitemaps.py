"""
Sitemaps for search engines: every public page, every story, and a Google News sitemap.

`/sitemap.xml` is a sitemap index (https://www.sitemaps.org/protocol.html#index)
over child sitemaps:

* `/sitemap-pages.xml`: the front page, sections, tags, authors and year archives
  (Django's sitemap framework; a few hundred entries at most);
* `/sitemap-stories-<yyyy>-<mm>.xml`: the stories published in one month (in
  the site's time zone), each with its `lastmod`, newest month first in the
  index. A child holds at most `STORY_SITEMAP_LIMIT` (1,000) URLs; a month
  with more continues on `?p=2`, `?p=3`, ....

Nothing here grows with the archive but the index (one entry per month):
the months with stories come from one query with an EXISTS per month (an
index seek each) between the earliest and latest publication (two seeks),
never from DISTINCT over a truncated date; a child reads one month's range of
the keyset index, streams its rows (`iterator()`) and writes the XML itself,
so a worker's memory is bounded by one child, whatever the archive's size.
"""

import datetime
from datetime import timedelta
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.context_processors import listing_fragment, next_publication
from articles.models import Article, Author, Section, Tag, live_months
from newsroom.dates import DateOutOfRange, month_range
from newsroom.pagecache import cache_until, may_be_cached
from newsroom.pagination import canonical_number
from newsroom.text import xml_safe

#: Google News only wants stories from the last two days.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000
#: URLs per story sitemap. The protocol allows 50,000; a fixed, small page
#: keeps each child's cost the same however busy a month was (at a million
#: stories a month holds 4,300, at a thousand 1,000): crawlers fetch more,
#: cheaper children, and a worker never builds a 50,000-URL answer at once.
STORY_SITEMAP_LIMIT = 1_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_CONTENT_TYPE = "application/xml; charset=utf-8"


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        latest = (
            Article.objects.published().filter(section=OuterRef("pk")).order_by("-published_at")
        )
        return Section.objects.annotate(
            latest=Subquery(latest.values("published_at")[:1])
        ).order_by("order", "name")

    def lastmod(self, item):
        return item.latest


class TopicSitemap(Sitemap):
    """The pages of the tags or authors (`model`) with at least one live story,
    reached from the story through `relation`."""

    changefreq = "daily"
    priority = 0.4
    model: type[Tag | Author]
    relation: str

    def items(self):
        live = Article.objects.published().filter(**{self.relation: OuterRef("pk")})
        return self.model.objects.filter(Exists(live)).order_by("name")


class TagSitemap(TopicSitemap):
    model, relation = Tag, "tags"


class AuthorSitemap(TopicSitemap):
    model, relation = Author, "authors"


class ArchiveYearSitemap(Sitemap):
    """The year archives, from which the month archives are linked."""

    changefreq = "monthly"
    priority = 0.2

    def items(self):
        return sorted({month.year for month, _ in story_months()})

    def location(self, item):
        return reverse("articles:archive_year", kwargs={"year": item})


class NewsSitemap(Sitemap):
    """Rendered by articles/sitemap_news.xml with the news: elements Google asks for."""

    limit = NEWS_LIMIT

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .only("headline", "slug", "published_at", "updated_at")[:NEWS_LIMIT]
        )

    def lastmod(self, item):
        return item.updated_at


#: The small child: every page that is not a story.
PAGE_SITEMAPS = {
    "home": HomeSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "archive-years": ArchiveYearSitemap,
}


def story_months() -> list[tuple[datetime.date, int]]:
    """(first day of the month, child pages) for each local month with live stories,
    newest first: a shared fragment, worked out again only after a story is
    published, moved or unpublished, or the next scheduled one goes live (at a
    million stories, 19 years, the query below takes 160 ms, most of it
    Django compiling its 458 subqueries).
    """
    return listing_fragment("story-months", story_months_uncached)


def story_months_uncached() -> list[tuple[datetime.date, int]]:
    """`story_months()` from the database.

    Three queries whatever the archive's size: the earliest and latest
    publication times (two index seeks), then, per month between them, the
    ids of its first and last story (index seeks; none: no story). A month needs
    a second page only when it may hold more than STORY_SITEMAP_LIMIT stories,
    judged from those ids (ids grow as stories are written; a month's extra
    page that turns out empty answers an empty list, never a 404).
    """
    host_pk, months = live_months()
    columns = {}
    for first_day, in_month in months:
        key = f"{first_day:%Y%m}"
        columns[f"lo{key}"] = Subquery(in_month.order_by("published_at", "pk").values("pk")[:1])
        columns[f"hi{key}"] = Subquery(in_month.order_by("-published_at", "-pk").values("pk")[:1])
    if not columns:
        return []
    # One row to hang the subqueries on: the first story, found by its id.
    found = Article.objects.filter(pk=host_pk).annotate(**columns).values(*columns).first()
    months = []
    for name in columns:
        if name.startswith("lo") and found[name] is not None:
            key = name[2:]
            span = abs(found[f"hi{key}"] - found[f"lo{key}"]) + 1
            first_day = datetime.date(int(key[:4]), int(key[4:]), 1)
            months.append((first_day, -(-span // STORY_SITEMAP_LIMIT)))
    return months[::-1]


@require_safe
def pages_sitemap(request: HttpRequest) -> HttpResponse:
    """/sitemap-pages.xml: every page that is not a story (one page: no `?p=`)."""
    if request.GET:
        raise Http404("This sitemap has one page.")
    return sitemap(request, sitemaps=PAGE_SITEMAPS)


@require_safe
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """/sitemap-news.xml: Google News's sitemap (one page: no `?p=`)."""
    if request.GET:
        raise Http404("This sitemap has one page.")
    return sitemap(
        request, sitemaps={"news": NewsSitemap}, template_name="articles/sitemap_news.xml"
    )


def _cache_until_next_publication(request: HttpRequest) -> None:
    # Written without a template, so the context processor that caps every
    # list's cache lifetime at the next scheduled publication does not run.
    if may_be_cached(request):
        cache_until(request, next_publication())


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the index of child sitemaps."""
    _cache_until_next_publication(request)
    base = request.build_absolute_uri("/")[:-1]  # a host ALLOWED_HOSTS lets through
    # The XML itself is kept (twelve entries a year), with the months.
    body = listing_fragment(f"sitemap-index:{base}", lambda: sitemap_index_xml(base))
    return HttpResponse(body, content_type=XML_CONTENT_TYPE)


def sitemap_index_xml(base: str) -> str:
    """The sitemap index for the site at `base` ("https://host")."""
    entries = [base + reverse("articles:sitemap_pages")]
    # One reverse() for every month (there are hundreds; each costs tens of µs):
    # the address of January 1000, with its numbers replaced.
    pattern = base + reverse("articles:sitemap_stories", kwargs={"year": 1000, "month": 1})
    for month, pages in story_months():
        location = pattern.replace("1000-01", f"{month:%Y-%m}")
        entries.append(location)
        entries.extend(f"{location}?p={page}" for page in range(2, pages + 1))
    body = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n']
    body.extend(
        f"<sitemap><loc>{escape(xml_safe(location))}</loc></sitemap>\n" for location in entries
    )
    body.append("</sitemapindex>\n")
    return "".join(body)


@require_safe
def story_sitemap(request: HttpRequest, year: str, month: str) -> HttpResponse:
    """/sitemap-stories-<yyyy>-<mm>.xml: the month's live stories, oldest first, with lastmod.

    At most STORY_SITEMAP_LIMIT URLs per page; `?p=` (canonical numbers only,
    2 and up) pages through a month with more. A month with no live story is a 404.
    """
    _cache_until_next_publication(request)
    raw_page = request.GET.get("p", "1")
    page = canonical_number(raw_page)
    if page is None or ("p" in request.GET and page == 1):
        raise Http404("No such page.")
    try:
        start, end = month_range(int(year), int(month))
    except DateOutOfRange as error:
        raise Http404("No such month.") from error
    limit = STORY_SITEMAP_LIMIT
    rows = (
        Article.objects.published(before=end)
        .filter(published_at__gte=start)
        .order_by("published_at", "pk")
        .values_list("slug", "published_at", "updated_at")[(page - 1) * limit : page * limit]
    )
    base = request.build_absolute_uri("/")[:-1]
    prefixes: dict[datetime.date, str] = {}
    body = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n']
    for slug, published_at, updated_at in rows.iterator(chunk_size=2000):
        day = timezone.localtime(published_at).date()
        if day not in prefixes:
            # The story's address without its slug, as get_absolute_url() builds it.
            prefixes[day] = base + reverse(
                "articles:article",
                kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": "x"},
            ).removesuffix("x/")
        lastmod = (
            (updated_at or published_at).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        body.append(
            f"<url><loc>{escape(xml_safe(prefixes[day] + slug + '/'))}</loc>"
            f"<lastmod>{lastmod}</lastmod></url>\n"
        )
    if len(body) == 1 and page == 1:
        raise Http404("No stories then.")
    body.append("</urlset>\n")
    return HttpResponse("".join(body), content_type=XML_CONTENT_TYPE)
