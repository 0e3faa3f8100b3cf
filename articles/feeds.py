"""
RSS and Atom feeds of the latest published stories, for the whole site and for
every section, tag and author, and a JSON Feed 1.1 for the whole site.

Each item carries the summary (the standfirst), the full sanitised body (RSS
`content:encoded`, Atom `content`, JSON Feed `content_html`) with addresses
made absolute, and the lead image: an RSS enclosure or Atom enclosure link
with its length in bytes, and `media:content` (Media RSS) with its width and
height. A topic with no stories has an empty feed, not a 404; a topic that
does not exist is a 404. All text goes through newsroom/text.py, so the XML
and JSON stay valid whatever editors typed.
"""

import mimetypes
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Model
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape
from django.views.decorators.http import require_safe

from articles.context_processors import next_publication
from articles.images import rendition_default
from articles.models import Article, Author, Correction, Section, Tag
from newsroom.pagecache import cache_until, cacheable, may_be_cached
from newsroom.text import XmlSafeAtomFeed, XmlSafeRssFeed, xml_safe_data

FEED_LENGTH = 30
MEDIA_RSS = "http://search.yahoo.com/mrss/"
RSS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
#: A root-relative address in the body's markup ("/media/...", not "//host/...").
_RELATIVE_URL = re.compile(r"""(\s(?:href|src)=["'])/(?!/)""")


def _media_content(item: dict) -> dict | None:
    media = item.get("lead_image")
    if not media:
        return None
    return {
        "url": media["url"],
        "type": media["mime_type"],
        "medium": "image",
        "width": str(media["width"]),
        "height": str(media["height"]),
        "fileSize": str(media["length"]),
    }


class StoryRssFeed(XmlSafeRssFeed):
    """RSS 2.0 with the full body (`content:encoded`) and the lead image (`media:content`)."""

    def rss_attributes(self):
        return super().rss_attributes() | {"xmlns:media": MEDIA_RSS, "xmlns:content": RSS_CONTENT}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        media = _media_content(item)
        if media:
            handler.addQuickElement("media:content", None, media)


class StoryAtomFeed(XmlSafeAtomFeed):
    """Atom 1.0 with the full body (`content`, RFC 4287 4.1.3) and `media:content`."""

    def root_attributes(self):
        return super().root_attributes() | {"xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        media = _media_content(item)
        if media:
            handler.addQuickElement("media:content", None, media)


@dataclass(frozen=True)
class FeedSource:
    """What a feed is of (None: the whole site) and the site's origin ("https://host"),
    for the absolute addresses in items. Made per request, so the Feed stays stateless."""

    topic: Model | None
    origin: str


def site_origin(request: HttpRequest) -> str:
    """ "https://host" for this request (the host is validated by ALLOWED_HOSTS)."""
    return f"{request.scheme}://{request.get_host()}"


#: The year in the feed ids' tag URIs (RFC 4151 wants a date the authority
#: held its name on); fixed, so that an id never changes.
FEED_ID_YEAR = 2026


def story_feed_id(article: Article) -> str:
    """A story's id in every feed (RSS `guid`, Atom `id`, JSON Feed `id`): a tag
    URI (RFC 4151) on the site's canonical host and the story's primary key,
    such as `tag:news.example,2026:story-42`. It stays the same when the story's
    address changes, as Atom requires of an entry's id (RFC 4287, 4.2.6)."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{FEED_ID_YEAR}:story-{article.pk}"


def story_body_html(article: Article, *, origin: str) -> str:
    """The sanitised body with root-relative addresses made absolute, as feed readers need."""
    return _RELATIVE_URL.sub(rf"\g<1>{origin}/", article.body)


def story_lead_image(article: Article, *, origin: str) -> dict | None:
    """The lead image for feeds: `url`, `width`, `height` (pixels), `length` (bytes, 0 if the
    storage cannot say), `mime_type`; the rendition browsers get by default. None without one.
    """
    # The pages' rule (includes/lead_image.html): no picture whose size is
    # unknown, as when its file could not be read when it was saved.
    known_size = article.lead_image_width and article.lead_image_height
    default = rendition_default(article.lead_image_renditions, "lead")
    if not article.lead_image or not (default or known_size):
        return None
    storage = article.lead_image.storage
    if default:
        name, width, height = default["name"], default["width"], default["height"]
    else:
        name = article.lead_image.name
        width, height = article.lead_image_width, article.lead_image_height
    try:
        length = storage.size(name)
    except (OSError, NotImplementedError):
        length = 0
    url = storage.url(name)
    return {
        "url": url if "://" in url else origin + url,
        "width": width,
        "height": height,
        "length": length,
        "mime_type": mimetypes.guess_type(name)[0] or "image/jpeg",
    }


class ScheduleCappedFeed(Feed):
    """A feed cached no longer than until the next scheduled publication (issue
    12.7): a feed renders no template with the request, so the context
    processor that caps every page cannot cap it."""

    def __call__(self, request, *args, **kwargs):
        feed_cache_until_next_publication(request)
        return super().__call__(request, *args, **kwargs)


def feed_cache_until_next_publication(request: HttpRequest) -> None:
    """Cap the cached copy of a feed at the next scheduled publication."""
    if may_be_cached(request):
        cache_until(request, next_publication())


@cacheable(tags=["feeds", "lists"])
class LatestStoriesFeed(ScheduleCappedFeed):
    """The newest stories of the whole site (RSS); subclasses narrow it to a topic."""

    # Valid XML whatever editors typed (see newsroom/text.py).
    feed_type = StoryRssFeed
    title = "Newsroom: latest stories"
    link = reverse_lazy("articles:home")
    description = "The newest stories from Newsroom, as they are published."
    feed_copyright = "Newsroom"
    language = "en"

    def get_object(self, request, *args, **kwargs):
        return FeedSource(topic=None, origin=site_origin(request))

    def stories(self, source: FeedSource):
        return Article.objects.published()

    def items(self, source: FeedSource):
        items = list(
            self.stories(source)
            .select_related("section")
            .with_bylines()
            .prefetch_related("tags")[:FEED_LENGTH]
        )
        for item in items:
            item.feed_origin = source.origin
        return items

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
        return item.modified_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.byline_authors) or None

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tags.all())]

    def item_enclosures(self, item):
        image = story_lead_image(item, origin=item.feed_origin)
        if not image:
            return []
        return [Enclosure(image["url"], str(image["length"]), image["mime_type"])]

    def item_extra_kwargs(self, item):
        return {
            "content_html": story_body_html(item, origin=item.feed_origin),
            "lead_image": story_lead_image(item, origin=item.feed_origin),
        }

    def item_guid(self, item):
        return story_feed_id(item)

    # Not the address: editors may change a live story's slug or date (the old
    # address then answers 301), and a feed reader would show it again as new.
    item_guid_is_permalink = False


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = StoryAtomFeed
    subtitle = LatestStoriesFeed.description


class TopicFeed(LatestStoriesFeed):
    """The newest stories of one section, tag or author. Subclasses set `model`,
    `noun` and `stories()`; an unknown slug is a 404, a topic without stories an empty feed."""

    model: type[Model]
    noun: str

    def get_object(self, request, slug):
        return FeedSource(
            topic=get_object_or_404(self.model, slug=slug), origin=site_origin(request)
        )

    def title(self, source: FeedSource):
        return f"Newsroom: {source.topic.name}"

    def link(self, source: FeedSource):
        return source.topic.get_absolute_url()

    def description(self, source: FeedSource):
        return f"The newest stories {self.noun} {source.topic.name}, from Newsroom."

    subtitle = description


class SectionFeed(TopicFeed):
    model, noun = Section, "in"

    def stories(self, source):
        return Article.objects.published().filter(section=source.topic)


class TagFeed(TopicFeed):
    model, noun = Tag, "tagged"

    def stories(self, source):
        return Article.objects.published().filter(tags=source.topic)


class AuthorFeed(TopicFeed):
    model, noun = Author, "by"

    def stories(self, source):
        return Article.objects.published().filter(authors=source.topic)


class SectionAtomFeed(SectionFeed):
    feed_type = StoryAtomFeed


class TagAtomFeed(TagFeed):
    feed_type = StoryAtomFeed


class AuthorAtomFeed(AuthorFeed):
    feed_type = StoryAtomFeed


@cacheable(tags=["feeds", "lists"])
@require_safe
def json_feed(request):
    """The site's newest stories as a JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    feed_cache_until_next_publication(request)
    origin = site_origin(request)
    stories = Article.objects.published().select_related("section").with_bylines()
    items = []
    for article in stories.prefetch_related("tags")[:FEED_LENGTH]:
        url = origin + article.get_absolute_url()
        item = {
            "id": story_feed_id(article),
            "url": url,
            "title": article.headline,
            "content_html": story_body_html(article, origin=origin),
            "summary": article.standfirst,
            "date_published": article.published_at.isoformat(),
            "date_modified": article.modified_at.isoformat(),
            "authors": [
                {"name": author.name, "url": origin + author.get_absolute_url()}
                for author in article.byline_authors
            ],
            "tags": [article.section.name, *(tag.name for tag in article.tags.all())],
        }
        image = story_lead_image(article, origin=origin)
        if image:
            item["image"] = image["url"]
            item["attachments"] = [
                {"url": image["url"], "mime_type": image["mime_type"]}
                | ({"size_in_bytes": image["length"]} if image["length"] else {})
            ]
        items.append(item)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": LatestStoriesFeed.title,
        "home_page_url": origin + reverse("articles:home"),
        "feed_url": origin + reverse("articles:feed_json"),
        "description": LatestStoriesFeed.description,
        "language": "en",
        "items": items,
    }
    return JsonResponse(
        xml_safe_data(feed),
        content_type="application/feed+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


@cacheable(tags=["feeds", "corrections"])
class CorrectionsFeed(ScheduleCappedFeed):
    """Every correction and update note on a live story, newest first (RSS 2.0).

    Text goes out through newsroom.text's XML-safe feed types."""

    feed_type = XmlSafeRssFeed
    title = "Newsroom: corrections and updates"
    link = reverse_lazy("articles:corrections")
    description = "Corrections and updates to Newsroom stories, newest first."
    feed_copyright = "Newsroom"

    def items(self):
        return Correction.objects.published()[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.headline}"

    def item_description(self, item):
        # Plain text, read by feed readers as HTML (like the standfirst above).
        return escape(item.text)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    # The note's anchor on the story page is its permanent id.
    item_guid_is_permalink = True


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = XmlSafeAtomFeed
    subtitle = CorrectionsFeed.description
