import datetime

from django.apps import AppConfig

DEMO_TERMS_VERSION = "2026-01"

DEMO_TERMS_BODY = """
<p>Welcome to Newsroom. These terms explain what you can expect from us and what we
ask of you. We have tried to write them the way we write our stories: plainly.</p>
<h2>1. Reading is free</h2>
<p>You can read Newsroom without an account. We do not sell what you read to anyone.</p>
<h2>2. Your account</h2>
<ul>
<li>You need to be at least 16 to open an account.</li>
<li>Keep your password to yourself. Tell us at once if you think someone else is using
your account.</li>
<li>You can download everything we hold about you, and delete your account, at any time
from your account page.</li>
</ul>
<h2>3. What we keep, and why</h2>
<p>We keep your email address, your display name and a record of each version of these
terms you agreed to, with the time, your IP address and your browser. We keep that record
because the law asks us to be able to show what you agreed to. If you delete your account
we keep the record, but we remove everything in it that could point to you.</p>
<h2>4. Our stories</h2>
<p>Our stories are ours. Quote them, link to them and share them, but do not copy them
whole or pretend they are yours.</p>
<h2>5. The shop</h2>
<p>The shop is a demonstration: nothing is charged and nothing is sent.</p>
<h2>6. When these terms change</h2>
<p>We will publish the new version here, say what changed, and ask you to accept it the
next time you visit while signed in. If you do not accept, we will sign you out; you can
still read the site, and you can delete your account.</p>
<h2>7. Questions</h2>
<p>Write to <a href="mailto:newsroom@localhost">newsroom@localhost</a>. A person will answer.</p>
"""


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Readers and terms of use"

    def ready(self):
        # Forgets the cached terms in force when a version changes.
        from accounts import receivers  # noqa: F401

    def seed_demo(self) -> str:
        """
        The demo site's terms of use, in force since 1 January 2026, and the
        Editor role's permissions on them. Idempotent.
        """
        from accounts.models import TermsOfUse
        from newsroom.roles import roles_ensure

        _terms, created = TermsOfUse.objects.get_or_create(
            version=DEMO_TERMS_VERSION,
            defaults={
                "title": "Terms of use",
                "body": DEMO_TERMS_BODY.strip(),
                "changes_summary": "The first version of our terms.",
                "effective_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            },
        )
        roles_ensure()
        return (
            f"terms of use {DEMO_TERMS_VERSION} {'created' if created else 'already there'}; "
            "editors manage terms and consent records"
        )
