"""
Two requests racing for one unique row end in the form's normal answer, never
a 500 (issue 13.6): sign-up, confirming an address, adding an address, a
story's slug in the admin (its form and its "Publish now" list action),
scheduling two versions of the terms for one moment, and the saved cart at
log-in. Real threads against a
real database (see race_requests.py), on whichever backend the suite runs.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

PROJECT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("race_requests.py")


def database_url(tmp_path: Path) -> str:
    """A database of the suite's backend that only the script uses."""
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        name = f"{settings['NAME']}_races"
        user = settings["USER"] or "postgres"
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or "5432"
        return f"postgres://{user}{password}@{host}:{port}/{name}"
    return f"sqlite:///{tmp_path / 'races.sqlite3'}"


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory) -> dict[str, dict]:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "CACHE_URL")}
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        cwd=PROJECT,
        env={
            **base,
            "PYTHONPATH": str(PROJECT),
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": database_url(tmp_path_factory.mktemp("races")),
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return {line.pop("scenario"): line for line in lines}


@pytest.mark.parametrize(
    "scenario",
    [
        "signup",
        "confirm_email",
        "add_email",
        "admin_slug",
        "admin_publish_now",
        "terms_same_moment",
        "cart_login",
    ],
)
def test_no_racing_request_answers_500(scenarios, scenario):
    outcome = scenarios[scenario]

    assert not any(status.startswith("500") for status in outcome["statuses"]), outcome
    assert outcome["errors"] == []


def test_racing_sign_ups_make_one_account_and_all_get_the_usual_answer(scenarios):
    assert scenarios["signup"]["statuses"] == {"302": 8}
    assert scenarios["signup"]["rows"] == {"users": 1}


def test_racing_confirmations_give_the_address_one_owner(scenarios):
    assert scenarios["confirm_email"]["rows"] == {"verified": 1}


def test_racing_additions_of_one_address_add_it_once(scenarios):
    assert scenarios["add_email"]["rows"] == {"rows": 2}  # the login address and the new one


def test_racing_admin_saves_of_one_slug_save_one_story_and_show_the_others_the_error(
    scenarios,
):
    assert scenarios["admin_slug"]["statuses"] == {"302": 1, "200 slug error": 7}
    assert scenarios["admin_slug"]["rows"] == {"stories": 1}


def test_racing_publish_now_actions_publish_one_story_and_tell_every_editor(scenarios):
    assert scenarios["admin_publish_now"]["statuses"] == {"200 told": 8}
    assert scenarios["admin_publish_now"]["rows"] == {"live": 1}


def test_racing_terms_schedules_for_one_moment_schedule_one_version(scenarios):
    assert scenarios["terms_same_moment"]["statuses"] == {"302": 1, "400": 7}
    assert scenarios["terms_same_moment"]["rows"] == {"scheduled": 1}


def test_racing_log_ins_with_carts_share_one_saved_cart(scenarios):
    assert scenarios["cart_login"]["rows"] == {"carts": 1}
