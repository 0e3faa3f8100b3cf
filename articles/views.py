"""
Reader-facing pages. Each reads published stories only, through
`Article.objects.published()`, in a constant number of queries.
"""

import datetime
import hashlib
import json
from http import HTTPStatus

from crawlerdetect import CrawlerDetect
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, F, Func, IntegerField, Q, Subquery, Value
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import _json_script_escapes
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import ListView
from django.views.generic.dates import MonthArchiveView as BaseMonthArchive
from django.views.generic.dates import YearArchiveView as BaseYearArchive

from articles import services
from articles.context_processors import listing_fragment
from articles.models import (
    Article,
    ArticleAddress,
    Author,
    Correction,
    FrontPage,
    FrontPageStory,
    Section,
    ShareLink,
    Tag,
    live_months,
    share_token_hash,
)
from articles.navigation import section_nav
from articles.search import (
    MAX_QUERY_LENGTH,
    MAX_RESULTS,
    clean_query,
    search_articles,
    search_suggestion,
    search_terms,
    search_topics,
)
from articles.sharing import mastodon_server_clean, mastodon_share_url, share_links
from newsroom.client import client_ip
from newsroom.dates import DateOutOfRange, day_range, local_midnight, month_range, year_range
from newsroom.pagecache import (
    PAGE_NUMBER,
    cache_until,
    cacheable,
    fragment,
    on_site_url,
    tag_response,
)
from newsroom.pagination import MAX_PAGES, BoundedPaginator, page_number, paginate
from newsroom.text import xml_safe_data

STORIES_PER_PAGE = 12
SEARCH_RESULTS_PER_PAGE = 10
SECTION_BLOCK_SIZE = 4


def card_tags(stories) -> set[str]:
    """Cache tags of story cards: each story, its section and its authors (the
    card shows their names). Needs `for_cards()`'s prefetched bylines."""
    tags = set()
    for story in stories:
        tags |= {f"story-{story.pk}", f"section-{story.section_id}"}
        tags |= {f"author-{author.pk}" for author in story.byline_authors}
    return tags


class StoryListView(ListView):
    """A paginated list of published stories; subclasses narrow it and name it.

    Pages are bounded (`newsroom.pagination`): one address per page, no
    count over every story, no OFFSET deeper than MAX_PAGES pages.
    """

    template_name = "articles/article_list.html"
    paginate_by = STORIES_PER_PAGE
    paginator_class = BoundedPaginator
    max_pages: int | None = MAX_PAGES
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_cards()

    def listing_tags(self) -> set[str]:
        """The cache tag of what this list is of (a section, a tag, an author)."""
        return set()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return tag_response(response, card_tags(context["object_list"]) | self.listing_tags())

    def paginate_queryset(self, queryset, page_size):
        # Django's own accepts ?page=last and any spelling int() reads; we
        # want one address per page and a 404 for any other value.
        page = paginate(self.request, queryset, page_size, max_pages=self.max_pages)
        return page.paginator, page, page.object_list, page.has_other_pages()


@cacheable(query={"page": PAGE_NUMBER}, tags=["home", "lists"])
@require_safe
def home(request):
    """Front page: the lead story, the editors' top stories, the latest stories, and
    a block per section (`front_page_parts`, shared by every worker), with
    most read between them. A fresh render asks nothing of the database while
    the parts are shared.
    """
    number = page_number(request)
    parts = listing_fragment(
        f"front-page-{number}",
        lambda: front_page_parts(request),
        tags_of=lambda parts: parts["tags"],
    )
    response = render(request, "articles/home.html", {"parts": parts})
    return tag_response(response, parts["tags"])


def front_page_parts(request: HttpRequest) -> dict:
    """The front page's stories as HTML, the same for every reader.

    Returns {"front": SafeString (the lead, the top stories and the latest
    stories with their page links), "blocks": SafeString (a block per
    section), "has_lead": bool, "number": int (the page), "tags": set of the
    page's cache tags}. The lead and the top stories are the editors' choice
    (`FrontPage`); a chosen story that is not live is skipped, and with no live
    lead chosen the newest story leads, as it did before curation. Raises
    Http404 for a page that does not exist.
    """
    page = paginate(request, Article.objects.published().for_cards(), STORIES_PER_PAGE)
    stories = list(page.object_list)
    context = {
        "request": request,
        "page_obj": page,
        "lead": None,
        "top_stories": [],
        "latest": stories,
        "section_blocks": [],
    }
    if page.number == 1 and stories:
        lead, top_stories = front_page_choice()
        lead = lead or stories[0]
        featured = {lead.pk, *(story.pk for story in top_stories)}
        context |= {
            "lead": lead,
            "top_stories": [story for story in top_stories if story.pk != lead.pk],
            "latest": [story for story in stories if story.pk not in featured],
        }
        context["section_blocks"] = section_blocks(
            exclude=[*featured, *(story.pk for story in stories)]
        )
    tags = {"home"} | card_tags(stories) | card_tags(context["top_stories"])
    if context["lead"] is not None:
        tags |= card_tags([context["lead"]])
    for block in context["section_blocks"]:
        tags |= {f"section-{block['section'].pk}"} | card_tags(block["stories"])
    return {
        "front": render_to_string("articles/home.html#front", context),
        "blocks": render_to_string("articles/home.html#blocks", context),
        "has_lead": context["lead"] is not None,
        "number": page.number,
        "tags": tags,
    }


def front_page_choice() -> tuple[Article | None, list[Article]]:
    """The editors' live lead story (or None) and live top stories in their order.

    The choice (ids only) is a shared fragment, kept until the `home` tag is
    purged (saving the front page or a top story does); the stories are then
    one query by primary key (`id IN (1, 2, 3)`, no scan of the live stories),
    plus one for their bylines. Stories that are not live (unpublished,
    scheduled, deleted) simply do not come back.
    """
    lead_id, top_ids = fragment("front-page-choice", tags=["home"], build=front_page_chosen_ids)
    if lead_id is None and not top_ids:
        return None, []
    found = Article.objects.published().for_cards().in_bulk([*top_ids, lead_id])
    return found.get(lead_id), [found[pk] for pk in top_ids if pk in found]


def front_page_chosen_ids() -> tuple[int | None, list[int]]:
    """(lead story id or None, top story ids in order), as the editors chose them;
    one query (a UNION of the front page's lead and its top stories)."""
    lead = (
        FrontPage.objects.filter(pk=1, lead__isnull=False)
        .order_by()  # SQLite allows no ORDER BY inside a UNION's parts
        .values_list("lead_id", Value(-1, output_field=IntegerField()))
    )
    top = (
        FrontPageStory.objects.filter(front_page_id=1).order_by().values_list("article_id", "order")
    )
    lead_id, top_stories = None, []
    for article_id, order in lead.union(top, all=True):
        if order == -1:
            lead_id = article_id
        else:
            top_stories.append((order, article_id))
    return lead_id, [article_id for _, article_id in sorted(top_stories)]


def section_blocks(*, exclude: list[int]) -> list[dict]:
    """The newest few stories of each section not already in `exclude`, as
    [{"section": ..., "stories": [...]}]: a shared fragment, kept until the
    lists change or one of its stories, sections or authors does (their cache
    tags), and keyed by the stories shown above the blocks.
    """
    shown = hashlib.sha256(",".join(map(str, sorted(exclude))).encode()).hexdigest()[:16]
    return listing_fragment(
        f"section-blocks-{shown}",
        lambda: section_blocks_uncached(exclude=exclude),
        tags_of=lambda blocks: {"home"}.union(
            *({f"section-{block['section'].pk}"} | card_tags(block["stories"]) for block in blocks)
        ),
    )


def section_blocks_uncached(*, exclude: list[int]) -> list[dict]:
    """`section_blocks()` from the database.

    One small subquery per section, each walking `articles_section_keyset_idx`
    from the newest story and stopping after SECTION_BLOCK_SIZE rows, in one
    query (`id IN (...) OR id IN (...)`), and one for their bylines. Ranking
    every live story with a window function instead cost two temporary
    B-trees over the whole archive.
    """
    section_ids = [item["pk"] for item in section_nav()]  # cached for the header
    if not section_ids:
        return []
    newest = Q()
    for section_id in section_ids:
        newest |= Q(
            pk__in=Article.objects.published()
            .filter(section_id=section_id)
            .exclude(pk__in=exclude)
            .order_by("-published_at", "-pk")
            .values("pk")[:SECTION_BLOCK_SIZE]
        )
    # Sorted here: the database would sort these few rows in a temporary B-tree.
    stories = sorted(
        Article.objects.filter(newest).for_cards().order_by(),
        key=lambda story: (story.published_at, story.pk),
        reverse=True,
    )
    blocks: dict[int, dict] = {section_id: {"stories": []} for section_id in section_ids}
    for story in stories:
        # setdefault: a section added since the header's list was cached.
        block = blocks.setdefault(story.section_id, {"stories": []})
        block["section"] = story.section
        block["stories"].append(story)
    return [block for block in blocks.values() if block["stories"]]


#: Where the story partial shows its view count. The template writes it
#: before the story's body, and everything a reader or an editor typed before
#: that point is escaped, so its first occurrence is the template's own.
VIEW_COUNT_OPEN, VIEW_COUNT_CLOSE = "<span data-view-count>", "</span>"


def around_view_count(story_html: str) -> tuple[str, str]:
    """`story_html` cut around its view count: (up to and including the count's
    opening tag, from its closing tag on), both SafeStrings. Raises ValueError
    if the HTML shows no view count."""
    before, found, rest = story_html.partition(VIEW_COUNT_OPEN)
    _, closed, after = rest.partition(VIEW_COUNT_CLOSE)
    if not found or not closed:
        raise ValueError("The story partial shows no view count.")
    return mark_safe(before + found), mark_safe(closed + after)  # noqa: S308


def _article_context(request: HttpRequest, article: Article, *, preview: bool = False) -> dict:
    share_url = "" if preview else request.build_absolute_uri(article.get_absolute_url())
    # Every note in one query: those due later only say how long the page holds.
    now = timezone.now()
    notes = list(article.corrections.all())
    corrections = [note for note in notes if note.published_at <= now]
    later = [note.published_at for note in notes if note.published_at > now]
    return {
        "share_url": share_url,
        "share_links": (
            share_links(url=share_url, title=article.headline, story_pk=article.pk)
            if share_url
            else []
        ),
        "article": article,
        "corrections": corrections,
        "next_correction_at": min(later, default=None),
        "preview": preview,
        # The stored count, never the cache's pending views: a cached copy holds
        # what a fresh render would, at most PAGE_CACHE_SECONDS behind the flush
        # (not purged on every flush: that would empty the cache of the most-read
        # story each FLUSH_INTERVAL). The beacon's answer adds the pending views.
        "views": article.view_count,
        "related": article.related(),
        "previous_story": None if preview else article.previous_published(),
        "next_story": None if preview else article.next_published(),
        "structured_data": structured_data(request, article, corrections),
    }


@cacheable()
@require_safe
def article_detail(request, year, month, day, slug):
    """A story at its address, /yyyy/mm/dd/slug/ (the day in the site's time zone).

    Found by its slug and a range on `published_at` (the local day's start
    and end), which uses the slug index; `published_at__date=` wrapped the
    column in a time-zone function that no index can serve. That one query
    (id and view count) is all a fresh render asks of the database while the
    story's parts are shared (`shared_story_parts`).
    """
    try:
        published_on = datetime.date(int(year), int(month), int(day))
        start, end = day_range(published_on)
    except (ValueError, DateOutOfRange) as error:
        raise Http404("No such date.") from error
    found = (
        Article.objects.published()
        .filter(slug=slug, published_at__gte=start, published_at__lt=end)
        .order_by("published_on", "pk")  # the slug index's own order: no sort
        .values_list("pk", "view_count")
        .first()
    )
    if found is None:
        return article_moved_or_gone(request, published_on=published_on, slug=slug)
    pk, views = found
    parts = shared_story_parts(request, pk)
    cache_until(request, parts["until"])
    response = render(request, "articles/article_detail.html", {"parts": parts, "views": views})
    return tag_response(response, parts["tags"])


def shared_story_parts(request: HttpRequest, pk: int) -> dict:
    """`story_parts()` of the live story `pk`, shared by every worker
    (`listing_fragment`) until the story, its section, tags or authors, a
    story it links to or the lists change, or the next scheduled story or
    correction note is due. Rendered as if asked for on SITE_URL
    (`newsroom.pagecache.on_site_url`), so its absolute links (canonical,
    og:url, JSON-LD, share links) name the site's address and one copy serves
    every host and port. Raises Http404 if the story stopped being live since
    it was looked up.
    """
    on_site = on_site_url(request)
    return listing_fragment(
        f"story-{pk}",
        lambda: story_parts(
            on_site, get_object_or_404(Article.objects.published().for_story_page(), pk=pk)
        ),
        tags_of=lambda parts: parts["tags"],
        until_of=lambda parts: parts["until"],
    )


STORY_PARTS = {
    "title": "story-title",
    "meta": "story-meta",
    "head": "story-head",
    "story": "story",
    "more": "story-more",
}


def story_parts(request: HttpRequest, article: Article, *, preview: bool = False) -> dict:
    """The parts of `article`'s page that are the same for every reader.

    Returns {"title", "meta", "head", "story", "more"}: HTML (SafeString),
    each a partial of articles/article_detail.html (the <title>, the <head>'s
    meta tags, the JSON-LD, the story itself, and the previous/next links
    with related stories), plus "tags", the page's cache tags (a set), and
    "until", when the next correction note on it is due (aware datetime, or
    None). "story" is a pair of SafeStrings: the story up to its view count
    and from just after it, as the count changes with every flush of the
    pending views and is filled in by each render. Most read, the header and
    the reader's own bits stay outside.
    """
    context = _article_context(request, article, preview=preview) | {"request": request}
    parts = {
        name: render_to_string(f"articles/article_detail.html#{partial}", context)
        for name, partial in STORY_PARTS.items()
    }
    parts["story"] = around_view_count(parts["story"])
    shown = [context["previous_story"], context["next_story"]]
    parts["tags"] = (
        card_tags(context["related"])
        | {f"story-{story.pk}" for story in shown if story}
        | set(article_cache_tags(article))
    )
    parts["until"] = context["next_correction_at"]
    return parts


def article_cache_tags(article: Article) -> list[str]:
    """The cache tags of a story's page: the story, its section, tags and authors."""
    return [
        f"story-{article.pk}",
        f"section-{article.section_id}",
        *(f"tag-{tag.pk}" for tag in article.tags.all()),
        *(f"author-{author.pk}" for author in article.byline_authors),
    ]


def article_moved_or_gone(request, *, published_on: datetime.date, slug: str) -> HttpResponse:
    """An address no live story has now: 301 to the story's current address if a
    live story had it before (after any number of changes: every old address
    points at the story), 410 Gone if its story was unpublished or deleted,
    404 if no published story ever had it."""
    address = (
        ArticleAddress.objects.filter(published_on=published_on, slug=slug)
        .select_related("article")
        .first()
    )
    if address is None:
        raise Http404("No story at this address.")
    story = address.article
    if story is not None and story.is_live and story.get_absolute_url() != request.path:
        return redirect(story.get_absolute_url(), permanent=True)
    return gone(request)


def gone(request, message: str = "") -> HttpResponse:
    """410 Gone, in the site's look: the story was here and is not any more."""
    return render(
        request,
        "410.html",
        {"message": message or "This story has been withdrawn and is no longer available."},
        status=HTTPStatus.GONE,
    )


def share_preview_page(request, link: ShareLink) -> HttpResponse:
    """The draft behind a valid share link, with the draft band; a story that
    has gone live since (or was live) redirects to its own page instead of
    saying "Draft — not published"."""
    article = Article.objects.for_story_page().get(pk=link.article_id)
    if article.is_live:
        return redirect(article.get_absolute_url())
    return preview_page(request, article, share_link=link)


@never_cache
@staff_member_required
def article_preview(request, pk):
    """A story as readers would see it, whatever its status or time: any story for
    editors, their own for writers (as in the admin)."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    article = get_object_or_404(Article.objects.visible_to(request.user).for_story_page(), pk=pk)
    return preview_page(request, article)


def preview_page(request, article: Article, *, share_link: ShareLink | None = None):
    """`article`'s page as readers would see it, marked as a preview (or with the
    draft band of `share_link`), never shared or cached; staff get a link to
    edit it."""
    context = {
        "article": article,
        "preview": True,
        "parts": story_parts(request, article, preview=True),
        "views": article.view_count,
        "share_link": share_link,
        "admin_change_url": reverse("admin:articles_article_change", args=[article.pk])
        if request.user.is_staff
        else "",
    }
    return render(request, "articles/article_detail.html", context)


def structured_data(
    request: HttpRequest, article: Article, corrections: list[Correction] = ()
) -> str:
    """A schema.org NewsArticle as JSON-LD (data, not script: no CSP nonce needed).

    Correction and update notes go in `correction`, each a CorrectionComment
    (https://schema.org/correction), and the latest moves `dateModified`.
    """
    modified = max([article.modified_at, *(note.published_at for note in corrections)])
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.description_for_search_engines,
        "datePublished": article.published_at,
        "dateModified": modified,
        "articleSection": article.section.name,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.byline_authors
        ],
        "publisher": {"@type": "Organization", "name": "Newsroom"},
    }
    if article.published_at:
        data["mainEntityOfPage"] = request.build_absolute_uri(article.get_absolute_url())
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": f"{note.get_kind_display()}: {note.text}",
                "datePublished": note.published_at,
            }
            for note in corrections
        ]
    if article.lead_image_largest_url:
        data["image"] = [request.build_absolute_uri(article.lead_image_largest_url)]
    # The same escaping as json_script: "</script>" in a headline stays inert.
    # xml_safe_data: no lone surrogate or control character reaches the JSON.
    return mark_safe(  # noqa: S308
        json.dumps(xml_safe_data(data), cls=DjangoJSONEncoder).translate(_json_script_escapes)
    )


def topic_feeds(kind: str, slug: str) -> list[dict]:
    """The RSS and Atom feeds of a section, tag or author (`kind`): `label`, `type`, `url`."""
    return [
        {
            "label": "RSS",
            "type": "application/rss+xml",
            "url": reverse(f"articles:{kind}_feed", kwargs={"slug": slug}),
        },
        {
            "label": "Atom",
            "type": "application/atom+xml",
            "url": reverse(f"articles:{kind}_feed_atom", kwargs={"slug": slug}),
        },
    ]


@cacheable(query={"page": PAGE_NUMBER}, tags=["lists"])
class SectionView(StoryListView):
    def listing_tags(self):
        return {f"section-{self.section.pk}"}

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.section.name,
            description=self.section.description,
            listing=self.section,
            feeds=topic_feeds("section", self.section.slug),
            hide_section=True,  # every card is in this section: no label on each
            **kwargs,
        )


@cacheable(query={"page": PAGE_NUMBER}, tags=["lists"])
class TagView(StoryListView):
    def listing_tags(self):
        return {f"tag-{self.tag.pk}"}

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Tagged “{self.tag.name}”",
            listing=self.tag,
            feeds=topic_feeds("tag", self.tag.slug),
            **kwargs,
        )


@cacheable(query={"page": PAGE_NUMBER}, tags=["lists"])
class AuthorView(StoryListView):
    def listing_tags(self):
        return {f"author-{self.author.pk}"}

    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.author.name,
            author=self.author,
            listing=self.author,
            feeds=topic_feeds("author", self.author.slug),
            **kwargs,
        )


class ArchiveMixin:
    """What the year and month archives share: Django's generic date views over
    live stories (`allow_empty=False`: a period with none is a 404), bounded
    pages, and calendar edges that are a 404 in every time zone."""

    date_field = "published_at"
    allow_empty = False
    allow_future = False
    template_name = "articles/archive.html"
    context_object_name = "articles"
    paginate_by = STORIES_PER_PAGE
    paginator_class = BoundedPaginator
    max_pages: int | None = MAX_PAGES
    year_format = "%Y"
    month_format = "%m"

    def get_queryset(self):
        return Article.objects.published().for_cards()

    def paginate_queryset(self, queryset, page_size):
        page = paginate(self.request, queryset, page_size, max_pages=self.max_pages)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return tag_response(response, card_tags(context["object_list"]))

    def _make_date_lookup_arg(self, value):
        # Django's version makes local midnight aware but does not check that
        # it exists in UTC: /0001/ in Tokyo or /9999/12/ in New York reached
        # the database as a datetime Python cannot convert (OverflowError, 500).
        try:
            return local_midnight(value)
        except DateOutOfRange as error:
            raise Http404("No such date.") from error

    def get_dated_queryset(self, **lookup):
        # No EXISTS query for allow_empty=False here: the one query each view
        # makes about its period (which months have stories; the neighbouring
        # months) finds no row for an empty period, and that is the 404.
        # The period's end is published()'s one upper bound (see there).
        end = lookup.pop(f"{self.date_field}__lt")
        return Article.objects.published(before=end).for_cards().filter(**lookup)

    def live_between(self, start, end):
        """Live stories published in [start, end), with no ordering."""
        return Article.objects.published(before=end).filter(published_at__gte=start)


@cacheable(query={"page": PAGE_NUMBER}, tags=["lists"])
class YearArchiveView(ArchiveMixin, BaseYearArchive):
    """The stories of a year (newest first, bounded pages) and its months that have any."""

    make_object_list = True

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # Which months have live stories: twelve EXISTS (index seeks) in one
        # query, not DISTINCT over a truncated date of every story of the year.
        year = int(self.get_year())
        bounds = {}
        for month in range(1, 13):
            try:
                bounds[month] = month_range(year, month)
            except DateOutOfRange:
                continue
        flags = {
            f"m{month}": Exists(self.live_between(start, end))
            for month, (start, end) in bounds.items()
        }
        start, end = year_range(year)
        row = self.live_between(start, end).order_by().annotate(**flags).values(*flags)[:1]
        if not row:
            raise Http404("Nothing was published then.")
        return [datetime.date(year, month, 1) for month in bounds if row[0][f"m{month}"]]

    def get_next_year(self, date):
        return None  # not shown: the months are the way on

    def get_previous_year(self, date):
        return None

    def get_context_data(self, **kwargs):
        year = kwargs["year"].year
        return super().get_context_data(
            heading=f"Stories from {year}", months=kwargs["date_list"], **kwargs
        )


@cacheable(query={"page": PAGE_NUMBER}, tags=["lists"])
class MonthArchiveView(ArchiveMixin, BaseMonthArchive):
    """The stories of a month (newest first) and links to the nearest months with stories."""

    max_pages = None  # a month is bounded by the calendar: every story is reachable

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        return []  # the month page lists no days (and asks no DISTINCT over them)

    def get_next_month(self, date):
        return self._neighbouring_months(date)[1]

    def get_previous_month(self, date):
        return self._neighbouring_months(date)[0]

    def _neighbouring_months(self, month: datetime.date):
        """The nearest earlier and later months with live stories, in one query."""
        if not hasattr(self, "_neighbours"):
            start, end = month_range(month.year, month.month)
            earlier = Article.objects.published(before=start).values("published_at")
            later = Article.objects.published().filter(published_at__gte=end)
            row = (
                self.live_between(start, end)
                .order_by()
                .annotate(
                    before=Subquery(earlier.order_by("-published_at")[:1]),
                    after=Subquery(later.values("published_at").order_by("published_at")[:1]),
                )
                .values("before", "after")[:1]
            )
            if not row:
                raise Http404("Nothing was published then.")
            found = row[0]
            self._neighbours = tuple(
                timezone.localtime(found[key]).date().replace(day=1) if found.get(key) else None
                for key in ("before", "after")
            )
        return self._neighbours

    def get_context_data(self, **kwargs):
        month = kwargs["month"]
        return super().get_context_data(
            heading=f"Stories from {month:%B %Y}", archive_year=month.year, **kwargs
        )


def archive_months() -> list[tuple[datetime.date, int]]:
    """(first day of the local month, live stories in it) for every month with
    any, newest first.

    Three queries whatever the archive's size: the earliest and latest
    publication times (two index seeks), then one row with a COUNT per month
    between them, each a range of the keyset index (`articles_live_keyset_idx`).
    Grouping by TruncMonth instead called the time-zone function on every
    story and sorted the result: 1.2 s at a million stories on SQLite.
    """
    host_pk, months = live_months()
    counts = {
        f"m{first_day:%Y%m}": Subquery(
            in_month.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]
        )
        for first_day, in_month in months
    }
    if not counts:
        return []
    found = Article.objects.filter(pk=host_pk).annotate(**counts).values(*counts).first() or {}
    months = [
        (datetime.date(int(name[1:5]), int(name[5:]), 1), found[name])
        for name in counts
        if found.get(name)
    ]
    return months[::-1]


@cacheable(tags=["lists"])
@require_safe
def archive_index(request):
    """Every year and month with published stories, newest first, with their counts.

    The counts cost a read of the whole keyset index, and the list grows by
    twelve links a year, so the rendered list is a shared fragment
    (`articles.context_processors.listing_fragment`): kept until a story is
    published, moved or unpublished or the next scheduled one goes live.
    """
    return render(
        request,
        "articles/archive_index.html",
        {"archive_html": listing_fragment("archive-years", archive_years_html)},
    )


def archive_years_html() -> str:
    """The archive index's list of years and months, with their counts, as HTML."""
    years: list[dict] = []
    for month, stories in archive_months():
        if not years or years[-1]["year"] != month.year:
            years.append({"year": month.year, "stories": 0, "months": []})
        years[-1]["stories"] += stories
        years[-1]["months"].append({"month": month, "stories": stories})
    return render_to_string("articles/archive_index.html#years", {"years": years})


@cacheable(query={"q": lambda q: q == clean_query(q), "page": PAGE_NUMBER}, tags=["lists"])
@require_safe
def search(request):
    """Search results, with matching section, tag and author pages above the stories
    (on the first page) and, when nothing is found, a respelling that finds something."""
    query = clean_query(request.GET.get("q"))
    context = {
        "query": query,
        "max_query_length": MAX_QUERY_LENGTH,
        "terms": search_terms(query),
        "page_obj": None,
        "results": [],
        "topics": [],
        "suggestion": "",
    }
    if context["terms"]:
        ids = search_articles(query)
        page = paginate(request, ids, SEARCH_RESULTS_PER_PAGE)
        found = Article.objects.published().for_cards().in_bulk(list(page.object_list))
        context |= {
            "page_obj": page,
            "results": [found[pk] for pk in page.object_list if pk in found],
            "query_string": urlencode({"q": query}),
            "capped": len(ids) >= MAX_RESULTS,
        }
        if page.number == 1:
            context["topics"] = search_topics(query=query, stories=context["results"])
        if not ids:
            suggestion = search_suggestion(query)
            if suggestion and search_articles(suggestion, limit=1):
                context["suggestion"] = suggestion
                context["suggestion_query_string"] = urlencode({"q": suggestion})
    return tag_response(
        render(request, "articles/search.html", context), card_tags(context["results"])
    )


@require_safe
def share_mastodon(request, pk):
    """Ask which Mastodon server the reader uses, then send them to its share page.

    `?server=` is checked to be a plain host name (articles.sharing), so this
    redirects only to `https://<that host>/share`; anything else is shown
    back with a message (400), never followed.
    """
    article = get_object_or_404(
        Article.objects.published().only("headline", "slug", "published_at"), pk=pk
    )
    raw = request.GET.get("server")
    context = {"article": article, "server": (raw or "")[:300], "error": ""}
    if raw is not None:
        server = mastodon_server_clean(raw)
        if server:
            url = request.build_absolute_uri(article.get_absolute_url())
            return redirect(mastodon_share_url(server=server, url=url, title=article.headline))
        context["error"] = (
            "That does not look like a Mastodon server. Type its address, such as mastodon.social."
        )
        return render(request, "articles/share_mastodon.html", context, status=400)
    return render(request, "articles/share_mastodon.html", context)


def reader_key(request: HttpRequest) -> str:
    """An opaque key for "this browser on this network": IP and User-Agent, keyed-hashed
    so the cache holds no readable addresses."""
    reader = f"{client_ip(request)}\n{request.headers.get('User-Agent', '')}"
    return salted_hmac("articles.view_beacon", reader, algorithm="sha256").hexdigest()[:32]


#: Known crawlers, by User-Agent (CrawlerDetect's list; it caches recent answers).
CRAWLERS = CrawlerDetect()


def beacon_is_same_origin(request: HttpRequest) -> bool:
    """True if the browser says the beacon comes from one of our own pages.

    `Sec-Fetch-Site` (Fetch Metadata, https://www.w3.org/TR/fetch-metadata/) is
    set by the browser and cannot be changed by a page's script; browsers
    without it still send `Origin` with every POST from `fetch()` (Fetch
    standard, "origin header"), which must then name this site. A request
    with neither did not come from a browser on our page.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and origin == f"{request.scheme}://{request.get_host()}"


def beacon_is_from_crawler(request: HttpRequest) -> bool:
    """True for a known crawler's User-Agent, or none at all (every browser sends one)."""
    user_agent = request.headers.get("User-Agent", "").strip()
    return not user_agent or CRAWLERS.is_crawler(user_agent)


# The beacon changes nothing a visitor owns and reads no cookie, so a CSRF
# token (which a cached page could not carry anyway) would protect nothing.
# What keeps counts honest is checked here instead: same-origin requests only,
# no crawlers, one view per reader and story per window, and a ceiling per
# client address.
@csrf_exempt
@never_cache
@require_POST
def view_beacon(request, pk):
    """Count a reader's view of a published story; answer with its count.

    403 for a request that does not come from our own pages. A crawler, a
    repeat view within the window, or an address over its limit gets the count
    without adding to it.
    """
    if not beacon_is_same_origin(request):
        return JsonResponse(
            {"error": "Views are counted only from this site's own pages."},
            status=HTTPStatus.FORBIDDEN,
        )
    services.view_counts_flush_if_due()
    view_count = (
        Article.objects.published().filter(pk=pk).values_list("view_count", flat=True).first()
    )
    if view_count is None:
        # The beacon's caller is a script: it gets JSON, not the 404 page.
        return JsonResponse({"error": "No such story."}, status=HTTPStatus.NOT_FOUND)
    if (
        not beacon_is_from_crawler(request)
        and services.view_is_new(article_id=pk, reader=reader_key(request))
        and services.view_address_within_limit(address=client_ip(request))
    ):
        pending = services.view_record(article_id=pk)
    else:
        pending = services.view_count_pending(article_id=pk)
    return JsonResponse({"views": view_count + pending})


@cacheable()
@require_safe
def robots_txt(request):
    # No line for the admin: robots.txt is public, and naming a secret
    # ADMIN_URL here would publish it. Its pages say noindex themselves.
    lines = [
        "User-agent: *",
        "Disallow: /preview/",
        "Disallow: /share/",
        "Disallow: /api/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap_news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@cacheable(query={"page": PAGE_NUMBER}, tags=["corrections"])
class CorrectionListView(ListView):
    """/corrections/: every correction and update note on a live story, newest first."""

    template_name = "articles/corrections.html"
    paginate_by = 30
    context_object_name = "corrections"

    def get_queryset(self):
        return Correction.objects.published()

    def paginate_queryset(self, queryset, page_size):
        page = paginate(self.request, queryset, page_size)
        return page.paginator, page, page.object_list, page.has_other_pages()


@never_cache
@require_safe
def share_preview(request, token):
    """A draft opened through an editor's share link, for someone outside the admin.

    Never stored by any cache (`private, no-store`) and never indexed (`noindex`
    in the page and in `X-Robots-Tag`). Unknown tokens are 404; revoked or
    expired links are 410.
    """
    link = (
        ShareLink.objects.filter(token_hash=share_token_hash(token))
        .select_related("article__section")
        .first()
    )
    if link is None:
        raise Http404("No such link.")
    if link.is_valid:
        response = share_preview_page(request, link)
    else:
        response = gone(request, "This share link has expired or was withdrawn by the newsroom.")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
