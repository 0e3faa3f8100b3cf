import pytest
from django.apps import apps

from accounts.models import TermsOfUse

pytestmark = pytest.mark.django_db


def test_seed_demo_publishes_the_demo_terms_once():
    config = apps.get_app_config("accounts")

    config.seed_demo()
    config.seed_demo()

    assert list(TermsOfUse.objects.values_list("version", flat=True)) == ["2026-01"]


def test_seeded_terms_are_in_force():
    apps.get_app_config("accounts").seed_demo()

    assert TermsOfUse.objects.current().version == "2026-01"
