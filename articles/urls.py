from django.urls import path, register_converter

from articles import feeds, sitemaps, views
from newsroom import converters  # noqa: F401 (registers <id:...>)
from newsroom.pagecache import PAGE_NUMBER, cacheable


class FourDigitConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigitConverter(FourDigitConverter):
    regex = "[0-9]{2}"

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(FourDigitConverter, "yyyy")
register_converter(TwoDigitConverter, "dd")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", views.article_detail, name="article"),
    path("archive/", views.archive_index, name="archive_index"),
    path("<yyyy:year>/", views.YearArchiveView.as_view(), name="archive_year"),
    path("<yyyy:year>/<dd:month>/", views.MonthArchiveView.as_view(), name="archive_month"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("search/", views.search, name="search"),
    path("share/<id:pk>/mastodon/", views.share_mastodon, name="share_mastodon"),
    path("preview/<id:pk>/", views.article_preview, name="preview"),
    path("api/views/<id:pk>/", views.view_beacon, name="view_beacon"),
    path("feed/", feeds.LatestStoriesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestStoriesAtomFeed(), name="feed_atom"),
    path("feed.json", feeds.json_feed, name="feed_json"),
    path("section/<slug:slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("section/<slug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("tag/<slug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("tag/<slug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("author/<slug:slug>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("author/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
    path(
        "sitemap.xml",
        cacheable(tags=["sitemaps", "lists"])(sitemaps.sitemap_index),
        name="sitemap",
    ),
    path(
        "sitemap-pages.xml",
        cacheable(tags=["sitemaps", "lists"])(sitemaps.pages_sitemap),
        name="sitemap_pages",
    ),
    path(
        "sitemap-stories-<yyyy:year>-<dd:month>.xml",
        cacheable(query={"p": PAGE_NUMBER}, tags=["sitemaps", "lists"])(sitemaps.story_sitemap),
        name="sitemap_stories",
    ),
    path(
        "sitemap-news.xml",
        cacheable(tags=["sitemaps", "lists"])(sitemaps.news_sitemap),
        name="sitemap_news",
    ),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("corrections/feed/", feeds.CorrectionsFeed(), name="corrections_feed"),
    path("corrections/feed/atom/", feeds.CorrectionsAtomFeed(), name="corrections_feed_atom"),
    path("share/<str:token>/", views.share_preview, name="share"),
    path("robots.txt", views.robots_txt, name="robots"),
]
