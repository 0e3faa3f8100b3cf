"""
Demo content for `manage.py seed_demo` (see ArticlesConfig.seed_demo).

Idempotent: sections, tags and authors are matched by slug, stories by slug,
and nothing that exists is changed, so running it twice creates nothing new.
Lead images are drawn with Pillow: a gradient in the section's colour, a few
shapes, and the headline.
"""

import random
import textwrap
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont

from articles.demo_stories import AUTHORS, DRAFT_STORY, SCHEDULED_STORY, SECTIONS, STORIES, TAGS
from articles.models import Article, Author, Byline, Section, Tag
from articles.services import article_publish, article_schedule
from newsroom.roles import EDITOR, WRITER, roles_ensure

SECTION_COLOURS = {
    "city": ((22, 60, 110), (92, 150, 200)),
    "business": ((20, 80, 60), (120, 180, 120)),
    "culture": ((110, 30, 80), (230, 140, 90)),
    "sport": ((150, 40, 30), (240, 190, 70)),
}
IMAGE_SIZE = (1600, 900)
#: Demo staff accounts, created only while DEBUG is on (never in production).
DEMO_PASSWORD = "newsroom-demo-2026"  # noqa: S105 (local demo only, DEBUG on)
DEMO_ACCOUNTS = [
    ("editor@example.com", EDITOR, None),
    ("writer@example.com", WRITER, "mara-quill"),
]


def body_html(paragraphs: list[str]) -> str:
    html = []
    for paragraph in paragraphs:
        if paragraph.startswith("## "):
            html.append(f"<h2>{escape(paragraph[3:])}</h2>")
        elif paragraph.startswith("> "):
            html.append(f"<blockquote><p>{escape(paragraph[2:])}</p></blockquote>")
        else:
            html.append(f"<p>{escape(paragraph)}</p>")
    return "".join(html)


def lead_image(headline: str, section: str, seed: int) -> ContentFile:
    """A 1600x900 picture: the section's gradient, some circles, and the headline."""
    width, height = IMAGE_SIZE
    top, bottom = SECTION_COLOURS.get(section, ((40, 40, 40), (160, 160, 160)))
    image = Image.new("RGB", IMAGE_SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
        )
    shapes = random.Random(seed)  # noqa: S311 (decoration, not security)
    for _ in range(7):
        x, y, radius = shapes.randint(0, width), shapes.randint(0, height), shapes.randint(60, 260)
        shade = tuple(min(255, channel + 40) for channel in bottom)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=shade, width=6)
    font = ImageFont.load_default(size=72)
    lines = textwrap.wrap(headline, width=30)[:4]
    y = height - 120 - 90 * len(lines)
    for line in lines:
        draw.text((84, y + 4), line, font=font, fill=(0, 0, 0))
        draw.text((80, y), line, font=font, fill=(255, 255, 255))
        y += 90
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return ContentFile(buffer.getvalue())


def _create_story(story: dict, *, status: str, published_at, sections, tags, authors, seed: int):
    """A draft with its byline and tags, then published or scheduled through the
    workflow services, as an editor would."""
    article = Article(
        headline=story["headline"],
        slug=story["slug"],
        standfirst=story["standfirst"],
        body=body_html(story["body"]),
        section=sections[story["section"]],
        status=Article.Status.DRAFT,
        lead_image_alt=f"Illustration for the story “{story['headline']}”",
        lead_image_caption="An illustration made for the demo site.",
        lead_image_credit="Newsroom demo",
    )
    article.lead_image.save(
        f"{story['slug']}.jpg", lead_image(story["headline"], story["section"], seed), save=False
    )
    article.save()
    for order, slug in enumerate(story["authors"]):
        Byline.objects.create(article=article, author=authors[slug], order=order)
    article.tags.set([tags[slug] for slug in story["tags"]])
    if status == Article.Status.PUBLISHED and published_at > timezone.now():
        article_schedule(article=article, publish_at=published_at)
    elif status == Article.Status.PUBLISHED:
        article_publish(article=article, at=published_at)
    return article


@transaction.atomic
def seed_demo_content() -> str:
    roles_ensure()
    sections = {}
    for order, (slug, name, description) in enumerate(SECTIONS):
        sections[slug], _ = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
    tags = {
        slug: Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in TAGS
    }
    authors = {
        slug: Author.objects.get_or_create(slug=slug, defaults={"name": name, "bio": bio})[0]
        for slug, name, bio in AUTHORS
    }

    now = timezone.now()
    existing = set(Article.objects.values_list("slug", flat=True))
    stories = [
        (story, Article.Status.PUBLISHED, now - timedelta(hours=story["hours_ago"]))
        for story in STORIES
    ] + [
        (DRAFT_STORY, Article.Status.DRAFT, None),
        (
            SCHEDULED_STORY,
            Article.Status.PUBLISHED,
            now + timedelta(hours=SCHEDULED_STORY.get("hours_ahead", 0)),
        ),
    ]
    created = 0
    for seed, (story, status, published_at) in enumerate(stories):
        if story["slug"] in existing:
            continue
        _create_story(
            story,
            status=status,
            published_at=published_at,
            sections=sections,
            tags=tags,
            authors=authors,
            seed=seed,
        )
        created += 1

    summary = (
        f"{len(sections)} sections, {len(tags)} tags, {len(authors)} authors, "
        f"{created} new stories ({Article.objects.published().count()} live); "
        f"groups {WRITER} and {EDITOR}"
    )
    if settings.DEBUG:
        summary += "; " + _demo_accounts(authors)
    return summary


def _demo_accounts(authors: dict[str, Author]) -> str:
    """Staff log-ins for trying the roles locally (DEBUG only, fixed password)."""
    User = get_user_model()
    for email, role, author_slug in DEMO_ACCOUNTS:
        user = User.objects.filter(**{User.USERNAME_FIELD: email}).first()
        if user is None:
            user = User.objects.create_user(
                **{User.USERNAME_FIELD: email}, password=DEMO_PASSWORD, is_staff=True
            )
        user.groups.add(Group.objects.get(name=role))
        if author_slug and authors[author_slug].user_id is None:
            authors[author_slug].user = user
            authors[author_slug].save(update_fields=["user"])
    logins = ", ".join(f"{email} ({role})" for email, role, _ in DEMO_ACCOUNTS)
    return f"demo admin log-ins {logins}, password {DEMO_PASSWORD}"
