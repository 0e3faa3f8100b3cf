"""A mail backend for tests of what happens when the mail server is down."""

from django.core.mail.backends.base import BaseEmailBackend


class UnreachableMailServerBackend(BaseEmailBackend):
    """Fails as Django's SMTP backend does when nothing answers on the port."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


UNREACHABLE_MAILERS = {"default": {"BACKEND": "tests.accounts.mail.UnreachableMailServerBackend"}}
