import datetime

import pytest
from django.utils import timezone

from tests.accounts.factories import TermsOfUseFactory


@pytest.fixture
def terms():
    """The version in force: published yesterday (with a heading, as real terms
    have, so the browser tests check the dialog's outline too)."""
    return TermsOfUseFactory(
        version="2026-01",
        title="Terms of use",
        body="<h2>Be kind</h2><p>Be kind to each other.</p>",
        effective_at=timezone.now() - datetime.timedelta(days=1),
    )


@pytest.fixture
def new_terms(terms):
    """A second version that took effect a moment ago, replacing `terms`."""
    return TermsOfUseFactory(
        version="2026-02",
        body="<p>Be kind. Also: no spam.</p>",
        changes_summary="We added a rule against spam.",
        effective_at=timezone.now() - datetime.timedelta(seconds=1),
    )


@pytest.fixture
def draft(terms):
    """A corrected wording of `terms` (the version in force), not yet in force."""
    return TermsOfUseFactory(
        version="2026-02",
        body="<h2>Be kind</h2><p>Be kind. No spam, please.</p>",
        changes_summary="We added a rule against spam.",
        effective_at=None,
    )
