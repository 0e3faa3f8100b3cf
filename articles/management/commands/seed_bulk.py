"""
Make many stories quickly, for scale tests and benchmarks:

    python manage.py seed_bulk --articles 10000

Stories are inserted with bulk_create in batches (so no history records and
no lead images), published over the hours before now, in the existing
sections and by the existing authors (a "Wire" section and author are made if
there are none). Each run adds new stories; slugs never clash.
"""

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from articles.html import html_to_text, sanitise_html
from articles.models import Article, Author, Byline, Section, Tag, publication_day

BATCH_SIZE = 1000
PLACES = ["harbour", "station", "market", "library", "seafront", "college", "hospital", "bridge"]
EVENTS = ["reopens", "gets new funding", "faces delays", "draws crowds", "wins award", "to expand"]
SENTENCES = [
    "Residents were invited to a meeting to hear about the plans.",
    "The council said it would publish the figures next month.",
    "Work is expected to start in the spring and take about a year.",
    "Local businesses said they welcomed the decision.",
    "A spokesperson said more details would follow.",
    "Campaigners have asked for the consultation to be extended.",
]


class Command(BaseCommand):
    help = "Insert N published stories quickly with bulk_create (for scale tests)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="How many stories.")
        parser.add_argument(
            "--seed", type=int, default=None, help="Random seed, for repeatable runs."
        )

    def handle(self, *args, articles: int, seed: int | None, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        words = random.Random(seed)  # noqa: S311 (filler text, not security)
        started = time.perf_counter()
        run = time.time_ns()
        with transaction.atomic():
            sections = list(Section.objects.all()) or [
                Section.objects.create(name="Wire", slug="wire")
            ]
            authors = list(Author.objects.all()) or [
                Author.objects.create(name="Wire", slug="wire")
            ]
            tags = list(Tag.objects.all())
            now = timezone.now()
            for start in range(0, articles, BATCH_SIZE):
                batch = []
                for n in range(start, min(start + BATCH_SIZE, articles)):
                    place, event = words.choice(PLACES), words.choice(EVENTS)
                    body = sanitise_html(
                        "".join(f"<p>{words.choice(SENTENCES)}</p>" for _ in range(4))
                    )
                    published_at = now - timedelta(minutes=10 * n + 1)
                    batch.append(
                        Article(
                            headline=f"The {place} {event}",
                            slug=f"bulk-{run}-{n}",
                            standfirst=f"News about the {place}: it {event}.",
                            body=body,
                            body_text=html_to_text(body),
                            section=words.choice(sections),
                            status=Article.Status.PUBLISHED,
                            published_at=published_at,
                            # bulk_create skips save(), which derives the day.
                            published_on=publication_day(published_at),
                        )
                    )
                created = Article.objects.bulk_create(batch, batch_size=BATCH_SIZE)
                Byline.objects.bulk_create(
                    [Byline(article=a, author=words.choice(authors)) for a in created]
                )
                if tags:
                    Article.tags.through.objects.bulk_create(
                        [Article.tags.through(article=a, tag=words.choice(tags)) for a in created]
                    )
        # A bulk load is when SQLite's and PostgreSQL's documentation ask for
        # ANALYZE: the planner's statistics still describe the table as it was
        # (on SQLite, PRAGMA optimize runs only as a web request's connection
        # closes, and a table that grew from 30 rows to a million was planned
        # as 30 rows until then).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Created {articles} stories in {seconds:.1f} s."))
