"""
Run by test_races.py in a fresh process: requests that race for the same
unique row, sent by threads at the same moment against a real database (a
SQLite file configured as the site configures it, or a scratch PostgreSQL
database), each thread with its own connection, as gunicorn's workers have.

Prints one JSON line per scenario: the status codes seen, the rows that
exist afterwards, and the errors raised.

Not a test module (pytest collects only test_*.py).
"""

import json
import os
import sys
import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import django

THREADS = 8


def scratch_postgres(url: str, *, create: bool) -> None:
    """Create (or drop) the scratch PostgreSQL database named in `url`."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def race(prepare: Callable[[int], object], send: Callable[[object], object]) -> dict:
    """`prepare(i)` for each thread beforehand; then all threads `send` at once."""
    from django.db import connections

    prepared = [prepare(index) for index in range(THREADS)]
    start = threading.Barrier(THREADS)
    statuses: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()

    def worker(item) -> None:
        try:
            start.wait()
            status = send(item)
            with lock:
                statuses[str(status)] += 1
        except Exception as error:
            with lock:
                errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(item,)) for item in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"statuses": dict(statuses), "errors": sorted(set(errors))}


def main() -> None:
    url = os.environ["DATABASE_URL"]
    postgres = url.startswith("postgres")
    if postgres:
        scratch_postgres(url, create=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    django.setup()
    try:
        run_scenarios()
    finally:
        from django.db import connections

        connections.close_all()
        if postgres:
            scratch_postgres(url, create=False)


def run_scenarios() -> None:
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from accounts.models import TermsOfUse, User
    from articles.models import Article
    from cart.models import SavedCart
    from tests.accounts.factories import TermsAcceptanceFactory, TermsOfUseFactory
    from tests.articles.factories import AuthorFactory, SectionFactory
    from tests.articles.test_admin import form_data
    from tests.cart.factories import ProductFactory
    from tests.factories import PASSWORD, UserFactory

    call_command("migrate", verbosity=0)
    terms = TermsOfUseFactory(version="2026-01")

    def client() -> Client:
        return Client(raise_request_exception=False)

    def reader(email: str) -> User:
        """A reader who has accepted the terms (else every page sends them to do so)."""
        return TermsAcceptanceFactory(user__email=email, terms=terms).user

    def report(name: str, result: dict, **rows: int) -> None:
        print(json.dumps({"scenario": name, **result, "rows": rows}), flush=True)

    # 1. Sign-ups with the same address (in different letter cases) at once.
    def signup(index: int):
        data = {
            "email": "Race@Example.com" if index % 2 else "race@example.com",
            "password1": PASSWORD,
            "agree_terms": "on",
            "terms_version": terms.version,
            "website": "",
        }
        return client(), data

    result = race(signup, lambda item: item[0].post("/accounts/signup/", item[1]).status_code)
    report("signup", result, users=User.objects.filter(email="race@example.com").count())

    # 2. Several readers confirm the same address at once: one may own it.
    def confirm(index: int):
        confirmer = reader(f"confirmer{index}@example.com")
        address = EmailAddress.objects.create(user=confirmer, email="shared@example.com")
        reader_client = client()
        reader_client.force_login(confirmer)
        return reader_client, EmailConfirmationHMAC(address).key

    result = race(
        confirm,
        lambda item: item[0].post(f"/accounts/confirm-email/{item[1]}/").status_code,
    )
    report(
        "confirm_email",
        result,
        verified=EmailAddress.objects.filter(email="shared@example.com", verified=True).count(),
    )

    # 3. One reader adds the same address from several tabs at once.
    adder = reader("adder@example.com")

    def add_address(index: int):
        adder_client = client()
        adder_client.force_login(adder)
        return adder_client

    result = race(
        add_address,
        lambda item: (
            item.post(
                "/accounts/email/", {"action_add": "", "email": "adder.work@example.com"}
            ).status_code
        ),
    )
    report("add_email", result, rows=EmailAddress.objects.filter(user=adder).count())

    # 4. Editors save two stories with the same slug on the same day at once.
    editor = UserFactory(email="editor@example.com", superuser=True)
    section, author = SectionFactory(), AuthorFactory()

    def admin_add(index: int):
        editor_client = client()
        editor_client.force_login(editor)
        data = form_data(section=section, author=author, slug="harbour-plan")
        data |= {"status": "published", "published_at_0": "2026-05-01"}
        data["published_at_1"] = f"12:0{index}:00"
        return editor_client, data

    def admin_save(item) -> str:
        response = item[0].post("/admin/articles/article/add/", item[1])
        refused = b"Another story published that day has this slug." in response.content
        return f"{response.status_code} slug error" if refused else str(response.status_code)

    result = race(admin_add, admin_save)
    report("admin_slug", result, stories=Article.objects.filter(slug="harbour-plan").count())

    # 5. Editors "Publish now" (the list action) a different draft each, all
    # with one slug, at once: one goes live, the others are named in a message.
    drafts = [
        Article.objects.create(
            headline=f"Triplet {index}",
            slug="triplet-slug",
            body="<p>Text.</p>",
            section=section,
            status=Article.Status.DRAFT,
        )
        for index in range(THREADS)
    ]
    for draft in drafts:
        draft.authors.add(author)

    def publish_action(index: int):
        editor_client = client()
        editor_client.force_login(editor)
        return editor_client, drafts[index].pk

    def publish_now(item) -> str:
        response = item[0].post(
            "/admin/articles/article/",
            {"action": "publish_now", "_selected_action": [item[1]]},
            follow=True,
        )
        page = response.content.decode()
        named = "Not published: “Triplet" in page or "Published 1 story." in page
        return f"{response.status_code} {'told' if named else 'silent'}"

    result = race(publish_action, publish_now)
    report(
        "admin_publish_now",
        result,
        live=Article.objects.filter(slug="triplet-slug", status=Article.Status.PUBLISHED).count(),
    )

    # 6. Editors put two versions of the terms into effect at the same minute.
    moment = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    versions = [
        TermsOfUseFactory(version=f"2027-{index:02}", effective_at=None)
        for index in range(1, THREADS + 1)
    ]

    def put_into_effect(index: int):
        editor_client = client()
        editor_client.force_login(editor)
        return editor_client, versions[index].pk

    def confirm_later(item) -> str:
        local = timezone.localtime(moment)
        response = item[0].post(
            f"/admin/accounts/termsofuse/{item[1]}/put-into-effect/",
            {
                "when": "later",
                "effective_at_0": f"{local:%Y-%m-%d}",
                "effective_at_1": f"{local:%H:%M}",
                "confirm": "on",
            },
        )
        return str(response.status_code)

    result = race(put_into_effect, confirm_later)
    report(
        "terms_same_moment",
        result,
        scheduled=TermsOfUse.objects.filter(effective_at=moment).count(),
    )

    # 7. One reader logs in from several browsers at once, each with a cart:
    # the first log-in creates the saved cart.
    product = ProductFactory()
    shopper = reader("shopper@example.com")

    def login_with_cart(index: int):
        shopper_client = client()
        shopper_client.post(f"/cart/add/{product.pk}/", {"quantity": "1"})
        return shopper_client

    result = race(
        login_with_cart,
        lambda item: (
            item.post(
                "/accounts/login/", {"login": "shopper@example.com", "password": PASSWORD}
            ).status_code
        ),
    )
    report("cart_login", result, carts=SavedCart.objects.filter(user=shopper).count())


if __name__ == "__main__":
    main()
    sys.exit(0)
