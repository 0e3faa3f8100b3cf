"""Sitemaps for search engines: every public page, and a Google News sitemap."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Section, Tag

#: Google News only wants stories from the last two days.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at")

    def lastmod(self, item):
        return item.updated_at


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


class TagSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        live = Article.objects.published().filter(tags=OuterRef("pk"))
        return Tag.objects.filter(Exists(live)).order_by("name")


class AuthorSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        live = Article.objects.published().filter(authors=OuterRef("pk"))
        return Author.objects.filter(Exists(live)).order_by("name")


class ArchiveYearSitemap(Sitemap):
    """The year archives, from which the month archives are linked."""

    changefreq = "monthly"
    priority = 0.2

    def items(self):
        # A list: a handful of years, and one query rather than a COUNT and a SELECT.
        return [day.year for day in Article.objects.published().dates("published_at", "year")]

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


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "archive-years": ArchiveYearSitemap,
}
