import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import TermsAcceptance, TermsOfUse
from tests.factories import UserFactory


class TermsOfUseFactory(DjangoModelFactory):
    """A published version by default; pass `effective_at` in the future for a scheduled one."""

    class Meta:
        model = TermsOfUse

    version = factory.Sequence(lambda n: f"2026-{n + 1:02d}")
    title = "Terms of use"
    body = factory.LazyFunction(lambda: "<p>Be kind. We keep your data safe.</p>")
    changes_summary = factory.Faker("sentence")
    effective_at = factory.Sequence(
        lambda n: timezone.now() - datetime.timedelta(days=400) + datetime.timedelta(minutes=n)
    )


class TermsAcceptanceFactory(DjangoModelFactory):
    class Meta:
        model = TermsAcceptance

    user = factory.SubFactory(UserFactory)
    terms = factory.SubFactory(TermsOfUseFactory)
    decision = TermsAcceptance.Decision.ACCEPTED
    method = TermsAcceptance.Method.SIGNUP
    ip_address = "192.0.2.10"
    user_agent = "Mozilla/5.0 (test)"
