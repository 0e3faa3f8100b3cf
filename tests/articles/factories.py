"""factory-boy factories for the articles app."""

from datetime import timedelta
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from articles.models import (
    Article,
    Author,
    Banner,
    Byline,
    Correction,
    Section,
    ShareLink,
    Tag,
    share_token_hash,
)


def image_file(width: int = 1200, height: int = 675, name: str = "lead.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    description = factory.Faker("sentence")
    order = factory.Sequence(lambda n: n)


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")
    bio = factory.Faker("sentence")


class ArticleFactory(DjangoModelFactory):
    """A live story by default; `draft=True`, `scheduled=True` or `in_review=True` otherwise."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)
        in_review = factory.Trait(status=Article.Status.IN_REVIEW, published_at=None)
        scheduled = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1)),
        )

    headline = factory.Faker("sentence", nb_words=6)
    slug = factory.Sequence(lambda n: f"story-{n}")
    standfirst = factory.Faker("sentence", nb_words=18)
    body = factory.LazyFunction(lambda: "<p>The council met on Tuesday.</p><p>It voted.</p>")
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.now() - timedelta(seconds=n + 1))

    @factory.post_generation
    def authors(self, create, authors, **kwargs):
        if not create:
            return
        for order, author in enumerate(authors if authors is not None else [AuthorFactory()]):
            Byline.objects.create(article=self, author=author, order=order)
        # As the admin does: the byline is saved after the story, and belongs
        # in the history record its save wrote.
        self.history_relations_record()

    @factory.post_generation
    def tags(self, create, tags, **kwargs):
        if create and tags:
            self.tags.add(*tags)


class CorrectionFactory(DjangoModelFactory):
    """A correction note on a live story."""

    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text = "An earlier version of this story gave the wrong date for the vote."


class BannerFactory(DjangoModelFactory):
    """A breaking-news banner shown for the next hour."""

    class Meta:
        model = Banner

    text = "Polls close at 10pm"
    url = "/"
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))


class ShareLinkFactory(DjangoModelFactory):
    """A share link to a draft, valid for a day; pass `token=` to know its token."""

    class Meta:
        model = ShareLink

    class Params:
        token = factory.LazyFunction(ShareLink.token_new)

    article = factory.SubFactory(ArticleFactory, draft=True)
    token_hash = factory.LazyAttribute(lambda link: share_token_hash(link.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
