"""
Writes that touch more than one row or more than one store: the story
workflow, and view counting.

The story workflow
------------------
`article_publish`, `article_schedule`, `article_unpublish` and
`article_send_to_review` hold the newsroom's rules: who may do what (the roles
in newsroom/roles.py: editors publish, schedule and unpublish; a writer sends
their own drafts to review), what a story needs before readers see it
(`publish_problems`: an author on the byline, a slug free on its day), and what
changes (status, publication time). The admin's actions, its story form and
the management commands call them; `Article.save()` only derives data, and
what follows a save (renditions, page-cache purges) runs after the commit
from articles/receivers.py.

Each takes keyword arguments, changes one story and returns it, or raises
`PermissionDenied` (the user may not) or `ValidationError` (the story is not
ready, with every reason in its messages) and leaves it unchanged. `user` is
the person acting, recorded in the story's history; None means the system (a
management command), which the role checks do not apply to.

View counting ("View counts" in the README's architecture section)
-------------------------------------------------------------------
Story pages are served from caches that never reach Django, so a view is
recorded by a beacon request (see views.view_beacon), and recording it must not
be a database write: one hot story would otherwise serialise every reader on
one row. Instead:

* `view_record()` adds one to the story's pending count in the cache with the
  backend's own atomic increment (`articles.pending_views`: a Redis hash, a
  diskcache sub-cache, or a locked dict in local memory).
* `view_counts_flush()` takes every pending count out of the cache in one
  atomic step (`drain`) and adds it, in one transaction, to the story's
  lifetime `Article.view_count` and to this hour's `HourlyViewCount` row, both
  with `F()` increments. Two flushes at once drain disjoint counts and add
  them with increments, so nothing is counted twice or lost. If the database
  write fails the counts are put back; if the process dies between the drain
  and the commit, that batch is lost (never double-counted).

A reader counts once per story per `VIEW_WINDOW_SECONDS`: `view_is_new()`
claims a key for (story, reader) with an atomic `cache.add` that expires with
the window. `view_address_within_limit()` caps the views counted from one
address (an IPv6 /64) per minute, whatever User-Agents it sends.

Pages show the stored count (`Article.view_count`); the beacon answers with
the stored count plus the pending one.
"""

import datetime
import hashlib
import ipaddress
import logging
from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.html import body_is_empty
from articles.images import picture_renditions, renditions_are_current
from articles.models import Article, Author, HourlyViewCount, can_publish
from articles.pending_views import pending_views

logger = logging.getLogger(__name__)

#: What a writer may set a story to; the rest is an editor's call.
WRITER_STATUSES = (Article.Status.DRAFT, Article.Status.IN_REVIEW)


def byline_problems(*, authors: Sequence[Author]) -> list[str]:
    """Why a story with this byline may not go live: it needs at least one author."""
    if authors:
        return []
    return [
        "A published story needs at least one author: add the byline, or keep the story as a draft."
    ]


def publish_problems(*, article: Article, authors: Sequence[Author] | None = None) -> list[str]:
    """Why `article` may not go live (empty: it may), in words for the editor.

    `authors` is the byline about to be saved (the admin's form saves it after
    the story); by default the story's own. The story's constraints are
    checked as they would be with its status and publication time set.
    """
    problems = byline_problems(authors=article.byline_authors if authors is None else authors)
    if body_is_empty(article.body):
        problems.append("It has no body yet: write the story before publishing it.")
    try:
        article.validate_constraints()
    except ValidationError as error:
        problems.extend(error.messages)
    return problems


def _editor_required(user) -> None:
    if user is not None and not can_publish(user):
        raise PermissionDenied("Only editors publish, schedule and unpublish stories.")


def _go_live(*, article: Article, user, published_at: datetime.datetime) -> Article:
    previous = (article.status, article.published_at)
    article.status = Article.Status.PUBLISHED
    article.published_at = published_at
    if problems := publish_problems(article=article):
        article.status, article.published_at = previous
        raise ValidationError(problems)
    _save(article=article, user=user)
    return article


def _save(*, article: Article, user) -> None:
    if user is not None:
        article._history_user = user  # django-simple-history records who
    article.save()


def article_publish(*, article: Article, user=None, at: datetime.datetime | None = None) -> Article:
    """Make `article` live now, or at `at` if that is in the past (an import).

    A story that was live before keeps its publication time, and so its
    address (/yyyy/mm/dd/slug/). Publishing a live story changes nothing.
    Raises PermissionDenied for a non-editor, ValidationError when
    `publish_problems` finds any.
    """
    _editor_required(user)
    if article.is_live:
        return article
    now = timezone.now()
    published_at = at or article.published_at
    if published_at is None or published_at > now:
        published_at = now
    return _go_live(article=article, user=user, published_at=published_at)


def article_schedule(*, article: Article, user=None, publish_at: datetime.datetime) -> Article:
    """Publish `article` at `publish_at` (aware, in the future): it goes live on its own then.

    Raises ValidationError for a time not in the future, a live story (its
    address must not change) or `publish_problems`; PermissionDenied for a
    non-editor.
    """
    _editor_required(user)
    if publish_at <= timezone.now():
        raise ValidationError("A scheduled time must be in the future; publish the story now.")
    if article.is_live:
        raise ValidationError("The story is already live: unpublish it first.")
    return _go_live(article=article, user=user, published_at=publish_at)


def article_unpublish(*, article: Article, user=None) -> Article:
    """Take a published (live or scheduled) story back to draft; its time is kept,
    so publishing it again keeps its address. A story not published is left as it is.
    Raises PermissionDenied for a non-editor."""
    _editor_required(user)
    if article.status != Article.Status.PUBLISHED:
        return article
    article.status = Article.Status.DRAFT
    _save(article=article, user=user)
    return article


def article_send_to_review(*, article: Article, user=None) -> Article:
    """Send a draft to the editors. Editors may send any draft, writers their own.

    A story that is not a draft is left as it is. Raises PermissionDenied for
    a writer's draft sent by someone else.
    """
    if article.status != Article.Status.DRAFT:
        return article
    if user is not None and not can_publish(user) and article.created_by_id != user.pk:
        raise PermissionDenied("Writers send only their own stories to review.")
    article.status = Article.Status.IN_REVIEW
    _save(article=article, user=user)
    return article


def article_save_check(*, article: Article, user, adding: bool) -> None:
    """The role rules for saving a story from the story form, before it is saved.

    Writers may keep a story as a draft or send it to review, and change only
    their own; editors may save anything. Raises PermissionDenied.
    """
    if can_publish(user):
        return
    if article.status not in WRITER_STATUSES:
        raise PermissionDenied("Only editors publish stories.")
    if not adding and article.created_by_id != user.pk:
        raise PermissionDenied("Writers edit only their own stories.")


def article_renditions_refresh(*, article: Article) -> None:
    """Make the lead image's crops (16:9 lead, 3:2 card; articles/images.py) when the
    image or its focal point changed since they were made (none without an image).

    Run after the commit (articles/receivers.py): the image file is in storage by
    then, and a slow resize holds no transaction open. A plain UPDATE: renditions
    are derived data, not an edit worth a history entry or another save's receivers.
    """
    renditions = _renditions_refreshed(
        article.lead_image,
        renditions=article.lead_image_renditions,
        focal_point=(article.lead_image_focal_x, article.lead_image_focal_y),
        shapes=["lead", "card"],
    )
    if renditions is not article.lead_image_renditions:
        old, article.lead_image_renditions = article.lead_image_renditions, renditions
        Article.objects.filter(pk=article.pk).update(lead_image_renditions=renditions)
        pictures_unused_delete(old=old, new=renditions, storage=article.lead_image.storage)


def author_renditions_refresh(*, author: Author) -> None:
    """Make the square crop of an author's photo when it or its focal point changed
    (none without a photo); after the commit, like `article_renditions_refresh`."""
    renditions = _renditions_refreshed(
        author.photo,
        renditions=author.photo_renditions,
        focal_point=(author.photo_focal_x, author.photo_focal_y),
        shapes=["photo"],
    )
    if renditions is not author.photo_renditions:
        old, author.photo_renditions = author.photo_renditions, renditions
        Author.objects.filter(pk=author.pk).update(photo_renditions=renditions)
        pictures_unused_delete(old=old, new=renditions, storage=author.photo.storage)


def pictures_unused_delete(*, old: dict, new: dict, storage) -> list[str]:
    """Delete from `storage` the files of `old` renditions (a dict as made by
    `picture_renditions`) that `new` does not use: its crops, and its original
    unless a story or author still shows it. Returns the names deleted.

    A replaced or removed picture must not stay public at its old address (a
    picture taken down for legal reasons, say), nor pile up on disk. Files that
    are already gone are skipped.
    """

    def names(renditions: dict) -> set[str]:
        shapes = (renditions or {}).get("shapes", {})
        return {size["name"] for sizes in shapes.values() for size in sizes}

    unused = names(old) - names(new)
    source = (old or {}).get("source", "")
    if (
        source
        and source != (new or {}).get("source")
        and not Article.objects.filter(lead_image=source).exists()
        and not Author.objects.filter(photo=source).exists()
    ):
        unused.add(source)
    deleted = []
    for name in sorted(unused):
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete the unused picture %s", name, exc_info=True)
            continue
        deleted.append(name)
    return deleted


def _renditions_refreshed(image, *, renditions: dict, focal_point: tuple, shapes: list) -> dict:
    """`renditions` if they were made from this file and focal point, else new ones."""
    source = image.name if image else ""
    if renditions_are_current(renditions, source=source, focal_point=focal_point):
        return renditions
    return picture_renditions(image, shapes=shapes, focal_point=focal_point) if source else {}


# --- View counting --------------------------------------------------------------

FLUSH_DUE_KEY = "views:flush-due"
SEEN_KEY = "views:seen:{}:{}"
ADDRESS_KEY = "views:address:{}:{}"

#: A reader's further views of a story within this many seconds are not counted.
VIEW_WINDOW_SECONDS = 30 * 60

#: How often a beacon may trigger a flush, in seconds.
FLUSH_INTERVAL = 60

#: Hourly counts older than this are deleted by the flush ("Most read" reads 24 hours).
HOURLY_VIEWS_KEPT = datetime.timedelta(days=2)


def view_is_new(*, article_id: int, reader: str) -> bool:
    """True the first time `reader` (an opaque key, see views.reader_key) views a
    story within VIEW_WINDOW_SECONDS, False on every repeat within it.

    `cache.add` is atomic on every backend, so of two simultaneous requests by
    the same reader exactly one is new.
    """
    return cache.add(SEEN_KEY.format(article_id, reader), 1, timeout=VIEW_WINDOW_SECONDS)


def view_address_within_limit(*, address: str) -> bool:
    """Count one view against `address` (an IP address as text); False once the
    address has had `settings.VIEWS_PER_ADDRESS_PER_MINUTE` counted views in
    this clock minute.

    IPv6 addresses count per /64, the block one household or phone is given
    (RFC 6177), so rotating addresses inside it gains nothing. A fixed window:
    up to twice the limit can land around a minute boundary.
    """
    limit = settings.VIEWS_PER_ADDRESS_PER_MINUTE
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address  # no usable address: all such requests share one budget
    else:
        network = str(ipaddress.ip_network(f"{ip}/{64 if ip.version == 6 else 32}", strict=False))
    digest = hashlib.sha256(network.encode()).hexdigest()[:24]  # no readable addresses
    key = ADDRESS_KEY.format(digest, int(timezone.now().timestamp()) // 60)
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr: a new minute, so within it
        return True


def view_record(*, article_id: int) -> int:
    """Count one view of a story; return its views not yet in the database."""
    return pending_views().add(article_id, 1)


def view_count_pending(*, article_id: int) -> int:
    """Views of a story counted in the cache and not yet in the database."""
    return pending_views().get_many([article_id]).get(article_id, 0)


def view_count_pending_many(*, article_ids: list[int]) -> dict[int, int]:
    """Pending views of several stories: {story id: views}, stories with none left out."""
    return pending_views().get_many(list(article_ids))


def view_counts_flush() -> int:
    """Move every pending view count from the cache to the database; return how many views.

    Safe to run at any time, in any number of processes at once (see the
    module docstring). Also deletes hourly counts older than HOURLY_VIEWS_KEPT.
    """
    store = pending_views()
    counts = store.drain()
    try:
        view_counts_save(counts=counts, at=timezone.now())
    except BaseException:
        for article_id, views in counts.items():
            store.add(article_id, views)
        raise
    return sum(counts.values())


def view_counts_save(*, counts: dict[int, int], at: datetime.datetime) -> None:
    """Add `counts` ({story id: views}) to each story's `view_count` and to its
    `HourlyViewCount` for the hour of `at` (an aware datetime), in one
    transaction, with `F()` increments: a concurrent save adds to the same rows
    rather than overwriting them.

    Queries: a constant number per distinct amount, not per story. Counts of
    stories deleted meanwhile are dropped.
    """
    hour = at.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        if counts:
            # Lock the stories in id order (so two saves cannot deadlock) and
            # learn which still exist: an hourly row needs its story.
            existing = list(
                Article.objects.select_for_update()
                .filter(pk__in=counts)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            HourlyViewCount.objects.bulk_create(
                [HourlyViewCount(article_id=pk, hour=hour, views=0) for pk in existing],
                ignore_conflicts=True,  # the row for this hour may exist already
            )
            by_amount: dict[int, list[int]] = defaultdict(list)
            for pk in existing:
                by_amount[counts[pk]].append(pk)
            for amount, article_ids in by_amount.items():
                Article.objects.filter(pk__in=article_ids).update(
                    view_count=F("view_count") + amount
                )
                HourlyViewCount.objects.filter(article_id__in=article_ids, hour=hour).update(
                    views=F("views") + amount
                )
        HourlyViewCount.objects.filter(hour__lt=hour - HOURLY_VIEWS_KEPT).delete()


def view_counts_flush_if_due() -> int:
    """Flush at most once per FLUSH_INTERVAL, whoever asks (the beacon does, on every view)."""
    if cache.add(FLUSH_DUE_KEY, 1, timeout=FLUSH_INTERVAL):
        return view_counts_flush()
    return 0
