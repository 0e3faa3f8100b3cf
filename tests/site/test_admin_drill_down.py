"""
Every admin list with a date drill-down answers its edges without a 500
(issue 13.3's kind: Django ticket 37357, guarded in newsroom/admin.py).

The loop reads the admin site's registry, so an admin that gains a
`date_hierarchy` later is checked without editing this file.
"""

from http import HTTPStatus

import pytest
from django.contrib import admin

from newsroom.admin import DateDrillDownCheckedChangeList
from tests.accounts.factories import TermsAcceptanceFactory
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DRILLED_ADMINS = [
    model_admin for model_admin in admin.site._registry.values() if model_admin.date_hierarchy
]

EDGES = [
    {"year": "9999"},
    {"year": "9999", "month": "12"},
    {"year": "9999", "month": "12", "day": "31"},
    {"year": "0001"},
    {"year": "1"},
    {"year": "1", "month": "1"},
    {"year": "1", "month": "1", "day": "1"},
    {"year": "0001", "month": "12", "day": "31"},
    {"year": "2026", "month": "2", "day": "30"},
    {"year": "99999999999999999999"},
    {"month": "12"},
]


def test_every_date_hierarchy_admin_uses_the_checked_change_list(rf):
    names = {type(model_admin).__name__ for model_admin in DRILLED_ADMINS}

    assert {"ArticleAdmin", "TermsOfUseAdmin", "TermsAcceptanceAdmin"} <= names
    for model_admin in DRILLED_ADMINS:
        changelist = model_admin.get_changelist(rf.get("/"))
        assert issubclass(changelist, DateDrillDownCheckedChangeList), model_admin


@pytest.mark.parametrize("time_zone", ["UTC", "America/New_York", "Asia/Tokyo"])
@pytest.mark.parametrize(
    "model_admin", DRILLED_ADMINS, ids=lambda model_admin: type(model_admin).__name__
)
def test_drill_down_at_the_calendar_edges_is_an_error_message_not_a_500(
    admin_client, settings, model_admin, time_zone
):
    settings.TIME_ZONE = time_zone
    ArticleFactory()
    TermsAcceptanceFactory()
    opts = model_admin.model._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/"
    field = model_admin.date_hierarchy

    for edge in EDGES:
        query = "&".join(f"{field}__{part}={value}" for part, value in edge.items())
        response = admin_client.get(f"{url}?{query}")

        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND), (query, response)
        if response.status_code == HTTPStatus.FOUND:
            assert response["Location"].endswith("?e=1"), query
