"""
Stories and everything a reader finds them by: sections, tags and authors.

There is one definition of "published" (`Article.objects.published()`): the
status says so *and* the publication time has come. A story with a future
`published_at` is scheduled and appears on its own at that moment, with no cron.
Every public page, feed, sitemap, search and count goes through that queryset.
"""

import hashlib
import math
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Sum
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords

from articles.html import html_to_text, sanitise_html
from articles.images import Picture, picture_for
from newsroom.dates import DateOutOfRange, month_range
from newsroom.images import UploadedImageField
from newsroom.text import (
    TextFieldsCleanedOnSave,
    TextFieldsCleanedOnValidation,
    text_fields_clean,
)

#: Words a reader gets through in a minute, for the reading time.
WORDS_PER_MINUTE = 225
#: An edit this long after publication is shown to readers as "Updated".
UPDATE_NOTICE_AFTER = timedelta(minutes=10)

#: What the body editor offers; its output is still sanitised on save (see html.py).
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}


class Section(TextFieldsCleanedOnSave, models.Model):
    """A desk of the newsroom (City, Business, ...). Every story belongs to exactly one."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True, help_text="Part of the section's address.")
    description = models.TextField(
        blank=True, help_text="One or two sentences shown at the top of the section page."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in the header and on the front page by this."
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Tag(TextFieldsCleanedOnSave, models.Model):
    """A subject that runs across sections ("housing", "elections")."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Author(TextFieldsCleanedOnSave, models.Model):
    """
    The name on a byline. A separate profile rather than the user account, because
    bylines include contributors and agencies without a log-in, and a byline must
    survive its writer leaving (the account link is then simply cleared).
    """

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    bio = models.TextField("short bio", blank=True, max_length=600)
    photo = UploadedImageField(
        upload_to="authors/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text="Shown square, cropped around the focal point, on the author's page and "
        "beside their byline.",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_focal_x = models.PositiveSmallIntegerField(
        "focal point across (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="Where the face is, from the left edge (0) to the right edge (100).",
    )
    photo_focal_y = models.PositiveSmallIntegerField(
        "focal point down (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="Where the face is, from the top (0) to the bottom (100).",
    )
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The staff account that writes under this byline, if any.",
    )

    #: A byline: no bidi controls or invisible characters (newsroom.text).
    #: The photo's crops follow the commit (receivers.py).
    person_name_fields = ("name",)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo_focal_x__lte=100, photo_focal_y__lte=100),
                name="articles_author_focal_point_in_photo",
                violation_error_message="The focal point is a percentage, from 0 to 100.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    @cached_property
    def photo_picture(self) -> Picture | None:
        """The square photo for <img> (src, srcset, width, height), or None."""
        return picture_for(self.photo_renditions, "photo", self.photo.storage)


def can_publish(user) -> bool:
    """Editors publish and see every story; writers only their own."""
    return user.has_perm("articles.publish_article")


class HourlyViewCount(models.Model):
    """The views a story had in one hour, for "Most read" (the lifetime total is
    `Article.view_count`). Written by `services.view_counts_flush()` in the same
    transaction as the total; hours older than two days are deleted by it."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="hourly_views")
    hour = models.DateTimeField(help_text="The start of the hour (UTC), minutes and seconds zero.")
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "hourly view count"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hour"], name="articles_hourly_views_one_row_per_hour"
            )
        ]
        indexes = [models.Index(fields=["hour"], name="articles_hourly_views_hour_idx")]

    def __str__(self):
        return f"{self.views} views of story {self.article_id} from {self.hour:%Y-%m-%d %H:00}"


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The stories `user` may open in the admin, preview and history: all of
        them for editors, a writer's own for writers."""
        return self if can_publish(user) else self.filter(created_by=user)

    def published(self, *, before: datetime | None = None):
        """Stories a reader may see: published, and their publication time has come.

        `before` (an aware datetime) keeps only those published before it,
        folded into the one upper bound on `published_at` (now or `before`,
        whichever comes first). Given two upper bounds on the column, SQLite
        ends its walk of the keyset index at the first one in the WHERE
        clause: with `<= now` first, a month in 2008 read every story from
        now back to that month (200 ms per month at a million stories).
        """
        now = timezone.now()
        if before is not None and before <= now:
            return self.filter(status=Article.Status.PUBLISHED, published_at__lt=before)
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now)

    def next_publication_at(self):
        """When the next scheduled story goes live (an aware datetime), or None."""
        return (
            self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def with_bylines(self):
        """Prefetch the authors in byline order (`article.byline_authors`)."""
        return self.prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("author").order_by("order", "pk"),
            )
        )

    def for_cards(self):
        """Everything a story card shows, in a constant number of queries (and no body)."""
        return self.select_related("section").with_bylines().defer("body", "body_text")

    def for_story_page(self):
        """Everything a story's own page shows: section, bylines and tags (three queries)."""
        return self.select_related("section").with_bylines().prefetch_related("tags")

    def most_read(self, *, since):
        """Stories by their views since `since` (an aware datetime), most first;
        each with `recent_views`. Stories without views since then are left out.

        Counts come from `HourlyViewCount`, so `since` is rounded to hours:
        an hour's views count when the hour starts after `since`.
        """
        return (
            self.filter(hourly_views__hour__gt=since)
            .annotate(recent_views=Sum("hourly_views__views"))
            .filter(recent_views__gt=0)
            .order_by("-recent_views", "-published_at", "-pk")
        )


class Byline(models.Model):
    """One name on a story's byline, in order (the first author is named first).

    The through model of `Article.authors`. Defined before Article: the story's
    history records its byline through this model, and django-simple-history
    needs the class, not its name. Its table keeps the name it had when the
    model was called ArticleAuthor (migration 0007 renamed only the model).
    """

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "articles_articleauthor"
        ordering = ["order", "pk"]
        verbose_name = "byline"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="articles_byline_author_once_per_article"
            )
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"


#: The story's history, with its tags and byline (Byline rows, order
#: included) as they were at each version. Named here because the admin
#: saves the tags and byline after the story itself: see
#: `Article.history_relations_record()`.
class StoryHistoricalRecords(HistoricalRecords):
    """HistoricalRecords whose byline history keeps its table
    (`articles_historicalarticleauthor`) under the model's new name: the
    m2m history model has no Meta of its own to say so."""

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        if through_model is Byline:
            options["db_table"] = "articles_historicalarticleauthor"
        return options


ARTICLE_HISTORY = StoryHistoricalRecords(
    excluded_fields=[
        "view_count",
        "body_text",
        "search_names",
        "lead_image_renditions",
        "updated_at",
        "published_on",
    ],
    m2m_fields=["tags", "authors"],
)


class Article(TextFieldsCleanedOnValidation, models.Model):
    """A story. Readers see it once it is published and its publication time has come."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        help_text="Part of the story's address, with its publication date. "
        "If you change it on a live story, its old address forwards readers to the new one.",
    )
    standfirst = models.TextField(
        max_length=400,
        help_text="The one- or two-sentence summary under the headline, in lists and feeds.",
    )
    body = ProseEditorField(
        blank=True,
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=sanitise_html,
    )
    body_text = models.TextField(
        editable=False, default="", help_text="The body without markup, for search."
    )
    search_names = models.TextField(
        editable=False,
        default="",
        help_text="The byline, section and tag names, for search (articles.search keeps it).",
    )
    lead_image = UploadedImageField(
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="lead_image_width",
        height_field="lead_image_height",
    )
    lead_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. Required with an image.",
    )
    lead_image_caption = models.CharField("caption", max_length=300, blank=True)
    lead_image_credit = models.CharField(
        "credit", max_length=120, blank=True, help_text="Photographer or agency."
    )
    lead_image_focal_x = models.PositiveSmallIntegerField(
        "focal point across (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="The part of the picture every crop keeps, from the left edge (0) to the "
        "right edge (100).",
    )
    lead_image_focal_y = models.PositiveSmallIntegerField(
        "focal point down (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="The part of the picture every crop keeps, from the top (0) to the bottom (100).",
    )
    lead_image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    authors = models.ManyToManyField(Author, through=Byline, related_name="articles")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="A time in the future schedules the story: readers see it from then on.",
    )
    published_on = models.DateField(
        "publication day",
        null=True,
        editable=False,
        help_text="The day of the publication time in the site's time zone (TIME_ZONE) "
        "when the story was saved: a slug is unique on its day.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    view_count = models.PositiveBigIntegerField(
        "views",
        default=0,
        editable=False,
        help_text="How many readers have opened the story. New views are added every few "
        "minutes, so a story just published may show fewer than it has had.",
    )
    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="For search engines; the headline if empty.",
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=160,
        blank=True,
        help_text="For search engines and link previews; the standfirst if empty.",
    )

    objects = ArticleQuerySet.as_manager()
    history = ARTICLE_HISTORY

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can publish and schedule stories")]
        constraints = [
            # The address is /yyyy/mm/dd/slug/: a slug is unique on its day. The
            # day is a stored column (`published_on`, derived in save()), not
            # an index on TruncDate(published_at): that bakes in the time zone of the
            # `migrate` that built it, so after a change of TIME_ZONE the
            # database and the form's validation disagreed about "the same
            # day" and the save ended in an IntegrityError. Slug first: the
            # same index finds a story by its address. Written with F() so that
            # SQLite adds it with CREATE UNIQUE INDEX: a `fields=` constraint
            # makes Django rebuild the table, which drops the search triggers.
            models.UniqueConstraint(
                F("slug"),
                F("published_on"),
                name="articles_article_unique_slug_per_day",
                violation_error_message="Another story published that day has this slug.",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="articles_article_published_has_time",
                violation_error_message="A published story needs a publication time.",
            ),
            models.CheckConstraint(
                condition=Q(lead_image="") | ~Q(lead_image_alt=""),
                name="articles_article_image_has_alt",
                violation_error_message="A lead image needs alt text.",
            ),
            models.CheckConstraint(
                condition=Q(lead_image_focal_x__lte=100, lead_image_focal_y__lte=100),
                name="articles_article_focal_point_in_picture",
                violation_error_message="The focal point is a percentage, from 0 to 100.",
            ),
        ]
        indexes = [
            # Lists, feeds and previous/next walk (published_at, id) from the
            # newest down (keyset order); the status filter rides along.
            models.Index(fields=["status", "published_at", "id"], name="articles_live_keyset_idx"),
            # The admin's story list (every status) in the same order.
            models.Index(fields=["published_at", "id"], name="articles_published_at_id_idx"),
            # A section's page and its block on the front page.
            models.Index(
                fields=["section", "published_at", "id"], name="articles_section_keyset_idx"
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Derived data only. The workflow's rules are in articles/services.py;
        # what follows a save (renditions, page-cache purges) in receivers.py.
        text_fields_clean(self)
        self.body = sanitise_html(self.body)
        self.body_text = html_to_text(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.published_on = publication_day(self.published_at)
        super().save(*args, **kwargs)
        self.addresses_record()

    def get_absolute_url(self):
        published = timezone.localtime(self.published_at)
        return reverse(
            "articles:article",
            kwargs={
                "year": f"{published.year:04d}",
                "month": f"{published.month:02d}",
                "day": f"{published.day:02d}",
                "slug": self.slug,
            },
        )

    def addresses_record(self) -> None:
        """Remember the addresses (date and slug) readers have known this story by:
        the one it had when loaded, if it was live then, and its current one if it
        is live now. They keep answering: 301 to the current address, or 410 once
        the story is unpublished or deleted (see `views.article_detail`)."""
        loaded = getattr(self, "_address_loaded", None)
        known = [loaded] if loaded else []
        if self.is_live:
            known.append((publication_day(self.published_at), self.slug))
        for published_on, slug in dict.fromkeys(known):
            ArticleAddress.objects.update_or_create(
                published_on=published_on, slug=slug, defaults={"article": self}
            )
        self._address_loaded = self.live_address()

    def live_address(self) -> tuple[date, str] | None:
        """(date, slug) of its address if readers can see the story now, else None."""
        fields = self.__dict__
        if not all(name in fields for name in ("status", "published_at", "slug")):
            return None  # deferred: not known
        return (publication_day(self.published_at), self.slug) if self.is_live else None

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        # What the story was when loaded, for the purges in articles/receivers.py.
        instance = super().from_db(db, field_names, values, **kwargs)
        # Deferred status: unknown, so taken to be "was published".
        instance._status_loaded = instance.__dict__.get("status", cls.Status.PUBLISHED)
        instance._listing_loaded = instance.listing_state
        instance._address_loaded = instance.live_address()
        return instance

    @property
    def listing_state(self) -> tuple:
        """What decides where the story is listed (None for a deferred field)."""
        fields = ("status", "published_at", "slug", "section_id")
        return tuple(self.__dict__.get(name) for name in fields)

    def cache_tags_changed(self, loaded: tuple | None) -> set[str]:
        """The cache tags a save of this (published, or formerly published) story
        makes stale, given its `listing_state` when loaded (None: unknown).

        Every page that shows the story carries `story-<pk>`, so an edit that
        leaves it where it was purges that, the feeds and the sitemaps. A story
        that appears, disappears or moves also changes every list (`lists`), the
        related stories of its section and tags, and the previous/next links of
        its new neighbours (the old ones carry its tag already).
        """
        tags = {f"story-{self.pk}", "feeds", "sitemaps"}
        if loaded == self.listing_state:
            return tags
        tags |= {"lists", "home", f"section-{self.section_id}"}
        if loaded is not None and loaded[3] is not None:
            tags.add(f"section-{loaded[3]}")
        tags |= {f"tag-{pk}" for pk in self.tags.values_list("pk", flat=True)}
        if self.published_at is not None:
            tags |= {f"story-{story.pk}" for story in self.neighbours() if story is not None}
        return tags

    def neighbours(self) -> tuple:
        """The live stories just before and after this one's place, by
        `(published_at, pk)`, whatever this one's own status."""
        return self.previous_published(), self.next_published()

    def page_cache_concerned(self) -> bool:
        """Whether a change to this story may change what readers see: it is, or
        was when loaded, published (live or scheduled)."""
        published = self.Status.PUBLISHED
        loaded = getattr(self, "_status_loaded", None if self._state.adding else published)
        return published in (self.status, loaded)

    def history_relations_record(self) -> None:
        """Put the story's tags and byline as they are now into its latest history record.

        Its history record is written when the story is saved, and the admin
        saves tags and byline after that: it calls this once they are saved.
        """
        record = self.history.order_by("-history_date", "-history_id").first()
        if record is None:
            return
        for field in record._history_m2m_fields:
            getattr(record, field.name).all().delete()
        ARTICLE_HISTORY.create_historical_record_m2ms(record, self)

    def validate_constraints(self, exclude=None):
        # `published_on` is derived from `published_at` and is in no form, so
        # Django would skip the unique slug-per-day rule whenever it validates
        # a form. Derive it first and check it with the fields it comes from.
        self.published_on = publication_day(self.published_at)
        if exclude and not {"slug", "published_at"} <= set(exclude):
            exclude = set(exclude) - {"published_on"}
        super().validate_constraints(exclude=exclude)

    def clean(self):
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {"lead_image_alt": "Describe the image for readers who cannot see it."}
            )

    @property
    def modified_at(self) -> datetime | None:
        """When readers' copy last changed: the later of the last edit and the
        publication time (a story edited, then scheduled, was not modified before
        it appeared). For `dateModified`, feeds' updated times and `og` tags."""
        if self.published_at is None:
            return self.updated_at
        return max(self.updated_at, self.published_at) if self.updated_at else self.published_at

    @property
    def is_live(self) -> bool:
        """Whether readers can see it now (the same rule as `published()`)."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def was_updated(self) -> bool:
        """Edited noticeably after it went live (readers are told "Updated: ...").

        Measured from the later of publication and creation, so a story entered
        with an earlier publication time (an import, a backdated item) does not
        count as updated.
        """
        if not self.published_at or not self.updated_at:
            return False
        baseline = max(self.published_at, self.created_at or self.published_at)
        return self.updated_at - baseline > UPDATE_NOTICE_AFTER

    @property
    def word_count(self) -> int:
        return len(self.body_text.split())

    @property
    def reading_time(self) -> int:
        """Minutes to read the body, at least one."""
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def byline_authors(self) -> list["Author"]:
        """Authors in byline order (prefetched by `ArticleQuerySet.with_bylines`)."""
        return [byline.author for byline in self.bylines.all()]

    @cached_property
    def lead_picture(self) -> Picture | None:
        """The 16:9 crop for the story page and the front page's lead, or None."""
        return picture_for(self.lead_image_renditions, "lead", self.lead_image.storage)

    @cached_property
    def card_picture(self) -> Picture | None:
        """The 3:2 crop for story cards in lists, or None."""
        return picture_for(self.lead_image_renditions, "card", self.lead_image.storage)

    @property
    def lead_image_largest_url(self) -> str:
        """For Open Graph and JSON-LD, which want one big picture: the largest 16:9 crop."""
        return self.lead_picture.largest if self.lead_picture else ""

    @property
    def title_for_search_engines(self) -> str:
        return self.seo_title or self.headline

    @property
    def description_for_search_engines(self) -> str:
        return self.seo_description or self.standfirst

    def related(self, limit: int = 4):
        """Other live stories from the same section or sharing a tag, newest first.

        The tag test is a correlated EXISTS (one probe of the tag table's
        (article, tag) index per story walked, newest first, until `limit`
        match), not a join: a join needs DISTINCT, which sorts every story of
        the section and its tags before the LIMIT applies.
        """
        tag_ids = [tag.pk for tag in self.tags.all()]
        shares_a_tag = Exists(
            Article.tags.through.objects.filter(article_id=OuterRef("pk"), tag_id__in=tag_ids)
        )
        return (
            Article.objects.published()
            .filter(Q(section_id=self.section_id) | shares_a_tag)
            .exclude(pk=self.pk)
            .for_cards()[:limit]
        )

    def previous_published(self):
        """The next older live story in (published_at, id) order, or None.

        A row-value (keyset) comparison, `(published_at, id) < (%s, %s)`, which
        SQLite and PostgreSQL answer by walking the keyset index from this
        story; the equivalent `OR` of two conditions made SQLite scan and sort.
        It comes before `published()`'s `published_at <= now` in the WHERE
        clause: SQLite ends its index range at the first upper bound it
        meets, and from now it walked the whole archive to the oldest story.
        """
        return (
            Article.objects.filter(
                TupleLessThan(Tuple(F("published_at"), F("id")), (self.published_at, self.pk))
            )
            .published()
            .order_by("-published_at", "-pk")
            .only("headline", "slug", "published_at")
            .first()
        )

    def next_published(self):
        """The next newer live story in (published_at, id) order, or None."""
        return (
            Article.objects.published()
            .filter(
                TupleGreaterThan(Tuple(F("published_at"), F("id")), (self.published_at, self.pk))
            )
            .order_by("published_at", "pk")
            .only("headline", "slug", "published_at")
            .first()
        )


def live_months() -> tuple[int | None, list[tuple[date, ArticleQuerySet]]]:
    """Every local month from the oldest live story's to the newest's, oldest
    first, as (first day of the month, that month's live stories), with the id of
    the oldest live story: (None, []) when there is none.

    Two index seeks (the earliest and the latest publication); each month's
    queryset is a range of the keyset index with one upper bound
    (`published(before=)`). Callers hang one Subquery per month on the oldest
    story's row, so one more query answers every month, whatever the archive's
    size (the archive counts, the sitemap index's months). Months outside
    years 1-9999 in the configured time zone are left out.
    """
    live = Article.objects.published().order_by()
    first = live.order_by("published_at", "pk").values_list("pk", "published_at").first()
    last = live.order_by("-published_at", "-pk").values_list("published_at", flat=True).first()
    if first is None or last is None:
        return None, []
    host_pk, first_at = first
    month = timezone.localtime(first_at).date().replace(day=1)
    last_month = timezone.localtime(last).date().replace(day=1)
    months = []
    while month <= last_month:
        try:
            start, end = month_range(month.year, month.month)
        except DateOutOfRange:
            pass
        else:
            in_month = Article.objects.published(before=end).filter(published_at__gte=start)
            months.append((month, in_month))
        month = (month + timedelta(days=32)).replace(day=1)
    return host_pk, months


def publication_day(moment: datetime | None) -> date | None:
    """The calendar day of `moment` in the current time zone (TIME_ZONE), or None."""
    return timezone.localdate(moment) if moment is not None else None


# --- The editors' newsroom: addresses, corrections, the front page, share links ------


class ArticleAddress(models.Model):
    """An address (publication date and slug) that a published story has had.

    Every address a story was published at keeps working: the story page looks
    here when no live story has that date and slug, and answers 301 to the
    story's current address, or 410 Gone if it was unpublished or deleted (the
    row outlives the story: `article` is then cleared). Chains collapse by
    design, since every old address points at the story, not at the next address.
    """

    published_on = models.DateField()
    slug = models.SlugField(max_length=200)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="addresses"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "story address"
        verbose_name_plural = "story addresses"
        constraints = [
            models.UniqueConstraint(fields=["published_on", "slug"], name="articles_address_once")
        ]

    def __str__(self):
        return f"{self.published_on:%Y/%m/%d}/{self.slug}"


class CorrectionQuerySet(models.QuerySet):
    def published(self):
        """Notes on stories readers can see, newest first."""
        return (
            self.filter(
                article__status=Article.Status.PUBLISHED,
                article__published_at__lte=timezone.now(),
                published_at__lte=timezone.now(),
            )
            .select_related("article")
            .order_by("-published_at", "-pk")
        )


def correction_cache_tags(article_id: int) -> list[str]:
    """The cache tags a story's correction notes appear under."""
    return [f"story-{article_id}", "corrections", "feeds", "sitemaps"]


class Correction(TextFieldsCleanedOnValidation, models.Model):
    """A dated note on a published story: a correction of a fact, or an update.

    Shown on the story ("Correction, 1 Dec 2026: ..."), in its JSON-LD
    (schema.org `correction`, a CorrectionComment), on /corrections/ and in its
    feeds. Saving one moves the story's modification time (`dateModified`).
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        max_length=1000,
        help_text="What was wrong and what is right now, in a sentence or two. Plain text.",
    )
    published_at = models.DateTimeField(
        "date", default=timezone.now, help_text="When the note was made; shown with it."
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"

    def __str__(self):
        return f"{self.get_kind_display()}, {self.published_at:%d %b %Y}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        text_fields_clean(self)
        super().save(*args, **kwargs)
        # The story changed for readers: its dateModified, feeds and sitemap say so.
        Article.objects.filter(pk=self.article_id).update(updated_at=timezone.now())
        # The pages showing it are purged by receivers.editors_desk_changed.

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"

    def clean(self):
        article = self.article if self.article_id else None
        if article is not None and article.status != Article.Status.PUBLISHED:
            raise ValidationError(
                "Corrections and updates are for published stories; edit a draft directly."
            )
        if self.published_at and self.published_at > timezone.now() + timedelta(minutes=1):
            raise ValidationError({"published_at": "A note is dated when it is made: not later."})


class FrontPage(models.Model):
    """The editors' choice for the front page: a lead story and an ordered set of
    top stories. There is one (pk 1, see `FrontPage.load()`). Stories that are not
    live are skipped on the page; with nothing chosen, the newest stories lead."""

    lead = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The story at the top of the front page. Empty: the newest story.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "front page"
        verbose_name_plural = "front page"

    def __str__(self):
        return "Front page"

    def save(self, *args, **kwargs):
        self.pk = 1  # the one front page; receivers.editors_desk_changed purges "home"
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "FrontPage":
        page, _ = cls.objects.get_or_create(pk=1)
        return page


class FrontPageStory(models.Model):
    """One of the top stories chosen for the front page, in order."""

    front_page = models.ForeignKey(FrontPage, on_delete=models.CASCADE, related_name="stories")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "top story"
        verbose_name_plural = "top stories (in order)"
        constraints = [
            models.UniqueConstraint(
                fields=["front_page", "article"], name="articles_front_page_story_once"
            )
        ]

    def __str__(self):
        return str(self.article)


def banner_link_is_safe(url: str) -> bool:
    """Whether a banner may link to `url`: a path on this site, or an http(s)
    address. Django's `url_has_allowed_host_and_scheme` reads a path the way
    browsers do, so `/\\evil.example/` and `/<TAB>/evil.example` (which browsers
    open as //evil.example) are not taken for paths on this site."""
    if url.startswith("/"):
        return url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


class BannerQuerySet(models.QuerySet):
    def current(self):
        """Banners not yet expired, newest first (the page shows the first)."""
        return self.filter(expires_at__gt=timezone.now()).order_by("-created_at", "-pk")


class Banner(TextFieldsCleanedOnSave, models.Model):
    """A breaking-news line with a link, shown on every page until it expires.

    Pages are cached: each page that shows a banner may be cached only until
    the banner expires, and saving or deleting one clears the page cache.
    """

    text = models.CharField(max_length=140, help_text="One short line, e.g. “Polls close at 10pm”.")
    url = models.CharField(
        "link",
        max_length=500,
        help_text="Where the line leads: an address on this site (/2026/11/30/...) or https://...",
    )
    expires_at = models.DateTimeField(
        "shown until", help_text="The banner disappears from every page at this time."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BannerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "breaking-news banner"

    def __str__(self):
        return self.text

    def clean(self):
        if self.url and not banner_link_is_safe(self.url):
            raise ValidationError(
                {"url": "Give an address on this site (starting with /) or a full https:// link."}
            )

    @property
    def is_current(self) -> bool:
        return self.expires_at is not None and self.expires_at > timezone.now()


def share_token_hash(token: str) -> str:
    """The SHA-256 hex digest of a share token: only this is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLinkQuerySet(models.QuerySet):
    def valid(self):
        """Links that open their draft now: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ShareLink(TextFieldsCleanedOnSave, models.Model):
    """A secret, expiring, revocable link to a story for someone outside the admin
    (a lawyer, a source). The token is shown once, when the link is made; the
    database keeps only its SHA-256 hash, so a copy of the database opens nothing."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(
        "for", max_length=120, blank=True, help_text="Whom the link is for, as a reminder."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("expires")
    revoked_at = models.DateTimeField("revoked", null=True, blank=True, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "draft share link"

    def __str__(self):
        return f"Share link to “{self.article}”"

    def get_absolute_url(self):
        return reverse("articles:share", kwargs={"token": self.token}) if self.token else ""

    @classmethod
    def token_new(cls) -> str:
        """A fresh token: 32 random bytes (secrets), URL-safe."""
        return secrets.token_urlsafe(32)

    #: The plain token, only on the instance that made it (never stored).
    token = ""

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
