"""
Every allauth page we serve, as a reader reaches it, for the tests that check
them all (tests/accounts/test_allauth_pages.py, test_browser_allauth.py).

Pages behind a key (confirming an address, setting a new password) get a
real key, so the tests see the form a reader sees, not only the "bad link"
page.
"""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str

from tests.accounts.factories import TermsAcceptanceFactory

#: Pages for a visitor who is not signed in.
ANONYMOUS = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/inactive/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/no-such-key/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-set-password/",
    "/accounts/password/reset/key/done/",
]
#: Pages for a signed-in reader.
SIGNED_IN = [
    "/accounts/logout/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/accounts/reauthenticate/",
]
#: Pages that need a real key: names for the tests' ids.
WITH_A_KEY = ["confirm-email", "password-reset-key"]


def reader_with_two_addresses(terms):
    """A reader with a confirmed primary address and an unconfirmed second one,
    so the email page shows its whole form (radios, Make primary, Remove)."""
    user = TermsAcceptanceFactory(terms=terms).user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="second@example.com", verified=False)
    return user


def keyed_url(name: str, user) -> str:
    """The address in a confirmation or password-reset mail to `user`."""
    if name == "confirm-email":
        address = EmailAddress.objects.get(user=user, email="second@example.com")
        return f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/"
    uid = user_pk_to_url_str(user)
    return f"/accounts/password/reset/key/{uid}-{default_token_generator.make_token(user)}/"
