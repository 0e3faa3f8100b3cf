"""RSS and Atom feeds of the latest published stories."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.html import escape

from articles.context_processors import next_publication
from articles.models import Article
from newsroom.pagecache import cache_until, cacheable, may_be_cached
from newsroom.text import XmlSafeAtomFeed, XmlSafeRssFeed

FEED_LENGTH = 30


@cacheable(tags=["feeds", "lists"])
class LatestStoriesFeed(Feed):
    # Valid XML whatever editors typed (see newsroom/text.py).
    feed_type = XmlSafeRssFeed
    title = "Newsroom: latest stories"
    link = reverse_lazy("articles:home")
    description = "The newest stories from Newsroom, as they are published."
    feed_copyright = "Newsroom"

    def __call__(self, request, *args, **kwargs):
        # A feed renders no template with the request, so the context
        # processor that caps every page cannot cap it (issue 12.7).
        if may_be_cached(request):
            cache_until(request, next_publication())
        return super().__call__(request, *args, **kwargs)

    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .with_bylines()
            .prefetch_related("tags")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # Feed readers render an RSS description, and Atom's summary says
        # type="html", as HTML; the standfirst is plain text, so it is escaped
        # to stay text ("<script>" typed in it shows as typed, never runs).
        return escape(item.standfirst)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.byline_authors) or None

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tags.all())]

    # No item_guid(): Django then uses the story's absolute address, which is an
    # IRI as Atom's <id> must be (RFC 4287, 4.2.6) and a permalink for RSS's
    # <guid>. It is stable because a live story's date and slug are read-only.
    item_guid_is_permalink = True


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = XmlSafeAtomFeed
    subtitle = LatestStoriesFeed.description
