"""
Writes that touch several models or must be all-or-nothing: sign-up with its
consent record, answers to the terms, account deletion (by the reader or in
the admin, which must anonymise alike), and keeping allauth's email addresses
in step with User.email. Views, the admin and allauth's adapter call these;
nothing here reads the request.
"""

from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import TermsAcceptance, TermsOfUse, User
from newsroom.pagecache import purge

#: "Now" chosen on the confirmation page is a moment ago by the time it is saved.
TERMS_NOW_GRACE = timedelta(minutes=1)


def _consent_record(
    *,
    terms: TermsOfUse,
    user: User | None,
    decision: str,
    method: str,
    ip_address: str | None,
    user_agent: str,
) -> TermsAcceptance:
    return TermsAcceptance.objects.create(
        user=user,
        terms=terms,
        decision=decision,
        method=method,
        answered_at=timezone.now(),
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[: TermsAcceptance.USER_AGENT_MAX_LENGTH],
    )


@transaction.atomic
def signup_with_consent(
    *,
    email: str,
    password: str | None,
    display_name: str,
    terms: TermsOfUse,
    ip_address: str | None,
    user_agent: str,
    user: User | None = None,
) -> User:
    """
    Create a reader's account together with the record that they accepted
    `terms` on the sign-up form: both rows or neither.

    `user` may be an unsaved User prepared by allauth's adapter; otherwise a
    new one is made.
    """
    user = user or User()
    user.email = email
    user.display_name = display_name
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    _consent_record(
        terms=terms,
        user=user,
        decision=TermsAcceptance.Decision.ACCEPTED,
        method=TermsAcceptance.Method.SIGNUP,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    return user


@transaction.atomic
def terms_accept(
    *,
    terms: TermsOfUse,
    user: User | None,
    method: str,
    ip_address: str | None,
    user_agent: str,
) -> TermsAcceptance:
    """Record that a reader (or an anonymous visitor, `user=None`) agreed to `terms`."""
    return _consent_record(
        terms=terms,
        user=user,
        decision=TermsAcceptance.Decision.ACCEPTED,
        method=method,
        ip_address=ip_address,
        user_agent=user_agent,
    )


def asked_method(*, user: User, terms: TermsOfUse) -> str:
    """
    The `method` of an answer to `terms` given on /terms/accept/: "reacceptance"
    only when the user accepted an earlier version, so there is something to
    accept again; otherwise "first_ask" (TermsAcceptance.Method.FIRST_ASK).
    """
    accepted_before = (
        TermsAcceptance.objects.accepted().filter(user=user).exclude(terms=terms).exists()
    )
    if accepted_before:
        return TermsAcceptance.Method.REACCEPTANCE
    return TermsAcceptance.Method.FIRST_ASK


@transaction.atomic
def terms_decline(
    *,
    terms: TermsOfUse,
    user: User,
    ip_address: str | None,
    user_agent: str,
) -> TermsAcceptance:
    """Record that a signed-in reader, asked on /terms/accept/ to accept `terms`, said no."""
    return _consent_record(
        terms=terms,
        user=user,
        decision=TermsAcceptance.Decision.DECLINED,
        method=asked_method(user=user, terms=terms),
        ip_address=ip_address,
        user_agent=user_agent,
    )


@transaction.atomic
def account_delete(*, user: User) -> int:
    """
    Delete a reader's account and everything that identifies them, keeping
    their consent records anonymised: we must still be able to show which
    version of the terms was agreed to, when and how, but no longer by whom.
    Returns how many consent records were kept.
    """
    kept = TermsAcceptance.objects.filter(user=user).anonymise()
    # Cascades to allauth's email addresses and confirmations.
    user.delete()
    return kept


@transaction.atomic
def accounts_delete(*, users: QuerySet[User]) -> int:
    """
    `account_delete` for several accounts at once (the admin's bulk delete):
    their consent records are kept, anonymised, and the accounts go.
    Returns how many consent records were kept.
    """
    kept = TermsAcceptance.objects.filter(user__in=users).anonymise()
    users.delete()
    return kept


def account_data(*, user: User) -> dict[str, Any]:
    """
    Everything we hold about a reader, for "Download my data" (GDPR art. 15
    and 20). Other apps add what they hold under their own label: an AppConfig
    with a `personal_data(user) -> dict` method is asked for its part, so this
    module needs none of their internals (as seed_demo does for demo content).
    """
    data = {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "consent_records": [
            {
                "terms_version": record.terms.version,
                "terms_title": record.terms.title,
                "decision": record.decision,
                "method": record.method,
                "answered_at": record.answered_at.isoformat(),
                "ip_address": record.ip_address,
                "user_agent": record.user_agent,
            }
            for record in user.terms_acceptances.select_related("terms").order_by("answered_at")
        ],
    }
    for app_config in apps.get_app_configs():
        personal_data = getattr(app_config, "personal_data", None)
        if callable(personal_data):
            data[app_config.label] = personal_data(user)
    data["exported_at"] = timezone.now().isoformat()
    return data


# --- Putting a version of the terms into effect (see accounts/terms_admin.py) ---------


def terms_audience(*, terms: TermsOfUse) -> dict[str, int]:
    """Who will be asked about `terms` once it is in force.

    Returns {"accounts": reader accounts that will be sent to /terms/accept/
    (active, not staff, and not yet accepting `terms`), "anonymous_agreements":
    agreements to the version in force recorded from visitors without an
    account (they, and everyone who chose "Not now", see the dialog again)}.
    """
    accounts = (
        User.objects.filter(is_active=True, is_staff=False)
        .exclude(terms_acceptances__terms=terms, terms_acceptances__decision="accepted")
        .count()
    )
    current = TermsOfUse.objects.current()
    anonymous = (
        TermsAcceptance.objects.accepted().filter(terms=current, user=None).count()
        if current is not None and current.pk != terms.pk
        else 0
    )
    return {"accounts": accounts, "anonymous_agreements": anonymous}


def _terms_locked(terms: TermsOfUse) -> TermsOfUse:
    """`terms` read again under a row lock, refused if it took effect meanwhile."""
    locked = TermsOfUse.objects.select_for_update().get(pk=terms.pk)
    if locked.is_published:
        raise ValidationError(
            f"Version {locked.version} is already in force and can no longer change.",
            code="published",
        )
    return locked


@transaction.atomic
def terms_put_into_effect(*, terms: TermsOfUse, effective_at: datetime) -> TermsOfUse:
    """Give a draft or scheduled version its effective time (now or later).

    Raises ValidationError if the version took effect meanwhile, if
    `effective_at` is in the past (beyond a minute's grace for "now"), or if
    another version takes effect at that very moment. Cached pages that name
    the version in force are purged after the commit.
    """
    locked = _terms_locked(terms)
    if effective_at < timezone.now() - TERMS_NOW_GRACE:
        raise ValidationError("A version cannot take effect in the past.", code="past")
    locked.effective_at = effective_at
    # The unique constraint on effective_at is the one check: a look-up first
    # would pass for both of two editors scheduling the same minute at once,
    # and the slower save would then answer 500. Its savepoint keeps the
    # surrounding transaction usable (PostgreSQL) after the refusal.
    try:
        with transaction.atomic():
            locked.save(update_fields=["effective_at"])
    except IntegrityError as error:
        raise ValidationError(
            "Another version takes effect at that moment. Choose another time.", code="clash"
        ) from error
    terms.effective_at = effective_at
    transaction.on_commit(terms_pages_purge)
    return locked


@transaction.atomic
def terms_back_to_draft(*, terms: TermsOfUse) -> TermsOfUse:
    """Take a scheduled version back to draft. Raises ValidationError once it is in force."""
    locked = _terms_locked(terms)
    locked.effective_at = None
    locked.save(update_fields=["effective_at"])
    terms.effective_at = None
    transaction.on_commit(terms_pages_purge)
    return locked


def terms_pages_purge() -> None:
    """Cached pages carry the version in force (the dialog's slot): drop them."""
    purge(["terms", "site"])
