"""
Give every account allauth's EmailAddress row for its login address.

Accounts made outside sign-up (createsuperuser, seed_demo, the admin, the
shell) had none, so allauth did not know their address was taken: another
reader could add it on /accounts/email/, confirm it, and then take password
resets meant for its owner. From now on accounts.services.email_address_ensure
makes the row; this migration makes the missing ones (verified and primary,
as that function does) for accounts that exist already.

If another account had confirmed such an address, that confirmation came
through the hole described above: it is withdrawn (the row stays, unverified),
since the address is the login of the account that holds it as User.email.
The login address becomes the account's primary address, as allauth keeps them.
"""

from django.db import migrations


def add_missing_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user in User.objects.exclude(email="").iterator(chunk_size=2000):
        email = user.email.lower()
        if EmailAddress.objects.filter(user_id=user.pk, email=email).exists():
            continue
        EmailAddress.objects.filter(email=email, verified=True).exclude(user_id=user.pk).update(
            verified=False
        )
        # The login address is the primary one, as allauth keeps them.
        EmailAddress.objects.filter(user_id=user.pk, primary=True).update(primary=False)
        EmailAddress.objects.create(user_id=user.pk, email=email, verified=True, primary=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_terms_of_use_and_consent_records"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(add_missing_addresses, migrations.RunPython.noop)]
