from datetime import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from accounts.identity import email_normalise, email_validate_visible
from newsroom.text import TextFieldsCleanedOnValidation, text_fields_clean


class EmailUserManager(BaseUserManager):
    """Creates users from an email address and finds them whatever its letter case."""

    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """NFKC and lower case: see accounts/identity.py."""
        return email_normalise(email)

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        """
        The way in for accounts made outside sign-up (createsuperuser, seed_demo,
        the shell). Their address gets allauth's EmailAddress row too, so allauth
        knows it is taken; see `email_address_ensure`.
        """
        if not email:
            raise ValueError("An email address is required.")
        with transaction.atomic(using=self._db):
            user = self.model(email=self.normalize_email(email), **extra_fields)
            user.set_password(password)
            user.save(using=self._db)
            self.email_address_ensure(user=user)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)

    @transaction.atomic
    def email_address_ensure(self, *, user: "User") -> EmailAddress:
        """
        Give `user.email` its allauth EmailAddress row, as the primary address.

        Sign-up makes this row itself. Accounts made any other way (createsuperuser,
        seed_demo, the admin, `User.objects.create_user`) come through here, so that
        allauth sees their address as taken and password reset finds its owner.

        The row is marked verified: the address was typed by an operator or by our
        own code, who could equally tick "verified" in the admin. The exception is
        an address another account has already confirmed; the row stays unverified
        then, because allauth allows one verified owner per address.
        """
        email = user.email
        address, _created = EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": False, "primary": False}
        )
        if not address.verified:
            address.verified = not (
                EmailAddress.objects.filter(email=email, verified=True).exclude(user=user).exists()
            )
        if not address.primary:
            # One primary address per user (allauth's unique_primary_email).
            EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
            address.primary = True
        address.save()
        return address

    def holding_address(self, email: str) -> models.QuerySet:
        """
        Accounts that own `email`: as their login address (User.email), or as
        an address they confirmed through allauth (a verified EmailAddress).
        An address someone merely added and never confirmed owns nothing.
        """
        email = self.normalize_email(email)
        return self.filter(
            models.Q(email__iexact=email)
            | models.Q(emailaddress__email__iexact=email, emailaddress__verified=True)
        ).distinct()


class User(TextFieldsCleanedOnValidation, AbstractUser):
    """
    A reader, writer or editor. The email address is the login identifier:
    there is no username, and two addresses that differ only in letter case are
    the same address (enforced by a unique index on the lower-cased email).
    """

    username = None
    email = models.EmailField("email address", unique=True, validators=[email_validate_visible])
    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="How the reader is greeted on the site. Optional.",
    )

    objects = EmailUserManager()

    #: Names other readers see: no bidi controls or invisible characters.
    person_name_fields = ("display_name", "first_name", "last_name")

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        text_fields_clean(self)  # names through person_name_clean (person_name_fields)
        self.email = EmailUserManager.normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.email.split("@")[0]


class ImmutableRecordError(PermissionDenied):
    """
    Raised when code tries to change something the law or our promises say
    must stay as it was: a published version of the terms, or a consent record.
    A PermissionDenied, so a request that trips it gets a 403, not a 500.
    """


# --- Terms of use ------------------------------------------------------------------

CURRENT_TERMS_CACHE_KEY = "accounts:terms:current"
# Saves through the ORM clear the entry at once, but only in the cache they can
# reach: with a per-process cache (locmem, the default) other processes see a
# new version within this many seconds, like the page cache.
CURRENT_TERMS_CACHE_SECONDS = 60

# What editors may use in the body: the prose editor's toolbar and the nh3
# sanitiser are generated from this one list, so they cannot disagree.
TERMS_BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["https", "mailto"]},
    "HardBreak": True,
}


class TermsOfUseQuerySet(models.QuerySet):
    def drafts(self) -> "TermsOfUseQuerySet":
        """Versions nobody has put into effect yet: readers never see them."""
        return self.filter(effective_at__isnull=True)

    def published(self, *, now: datetime | None = None) -> "TermsOfUseQuerySet":
        """Versions whose effective date has passed: public, and frozen for good."""
        return self.filter(effective_at__lte=now or timezone.now())

    def scheduled(self, *, now: datetime | None = None) -> "TermsOfUseQuerySet":
        """Versions that take effect later; editors may still change or delete them."""
        return self.filter(effective_at__gt=now or timezone.now())

    def current(self, *, now: datetime | None = None) -> "TermsOfUse | None":
        """The version in force: the latest one whose effective date has passed."""
        return self.published(now=now).order_by("-effective_at").first()

    def changes_since(self, answered: "TermsOfUse | None") -> "TermsOfUseQuerySet":
        """The published versions after `answered` (a version a reader agreed to or
        answered), oldest first: what changed for them. None for no answer: empty."""
        if answered is None or answered.effective_at is None:
            return self.none()
        return (
            self.published().filter(effective_at__gt=answered.effective_at).order_by("effective_at")
        )

    def delete(self):
        if self.published().exists():
            raise ImmutableRecordError("Published terms of use cannot be deleted.")
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def update(self, **kwargs):
        if self.published().exists():
            raise ImmutableRecordError("Published terms of use cannot be changed.")
        return super().update(**kwargs)

    update.alters_data = True


class TermsOfUseManager(models.Manager.from_queryset(TermsOfUseQuerySet)):
    def current_cached(self) -> "TermsOfUse | None":
        """
        `current()` through the cache, for every request that needs it (the
        terms dialog slot, the re-acceptance middleware). The entry remembers
        when the next scheduled version takes effect, so a future version still
        takes over on the dot instead of when the entry expires.
        """
        return self.current_and_next_cached()[0]

    def current_and_next_cached(self) -> "tuple[TermsOfUse | None, datetime | None]":
        """(the version in force, when the next scheduled one takes effect or None)."""
        now = timezone.now()
        entry = cache.get(CURRENT_TERMS_CACHE_KEY)
        if entry is None or (entry[1] is not None and entry[1] <= now):
            queryset = self.get_queryset()
            current = queryset.current(now=now)
            next_change = (
                queryset.scheduled(now=now)
                .order_by("effective_at")
                .values_list("effective_at", flat=True)
                .first()
            )
            entry = (current, next_change)
            cache.set(CURRENT_TERMS_CACHE_KEY, entry, CURRENT_TERMS_CACHE_SECONDS)
        return entry


VERSION_LABEL_PATTERN = r"[0-9][0-9A-Za-z.-]{0,19}"
version_label_validator = RegexValidator(
    rf"^{VERSION_LABEL_PATTERN}$",
    "Start with a digit and use only letters, digits, dots and hyphens, e.g. 2026-01.",
)


class TermsOfUse(TextFieldsCleanedOnValidation, models.Model):
    """
    One version of the terms readers agree to. A new version is a **draft**
    (no effective time) that editors can correct and preview; readers see
    nothing of it. An editor puts it into effect, now or at a later time, on a
    confirmation page that says how many readers will be asked again (see
    accounts/terms_admin.py); until that time it is **scheduled** and can
    still be corrected or taken back to draft. Once its effective time has
    passed it is **published**, and from then on it can be neither changed nor
    deleted, because consent records point at it and must keep meaning what
    the reader saw. Editors make a new version instead.
    """

    version = models.CharField(
        max_length=20,
        unique=True,
        validators=[version_label_validator],
        help_text="A short label readers see and that appears in the address, e.g. 2026-01.",
    )
    title = models.CharField(max_length=200, default="Terms of use")
    body = ProseEditorField(
        extensions=TERMS_BODY_EXTENSIONS,
        sanitize=True,
        help_text="The full terms. Write plainly: readers are asked to agree to this text.",
    )
    changes_summary = models.TextField(
        "what changed",
        blank=True,
        help_text=(
            "A sentence or two for readers who accepted the previous version; "
            "shown when they are asked to accept this one."
        ),
    )
    effective_at = models.DateTimeField(
        "takes effect",
        null=True,
        blank=True,
        help_text=(
            "When this version replaces the current one; empty while it is a draft. Set with "
            "“Put into effect”. After this moment the version can no longer be edited."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TermsOfUseManager()

    class Meta:
        # Drafts first, then the newest version, on every database.
        ordering = [models.F("effective_at").desc(nulls_first=True), "-pk"]
        verbose_name = "terms of use version"
        verbose_name_plural = "terms of use versions"
        constraints = [
            # Two versions taking effect at the same moment would make
            # "the current version" ambiguous.
            models.UniqueConstraint(fields=["effective_at"], name="accounts_terms_one_per_moment"),
        ]

    def __str__(self):
        return f"{self.title} ({self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None and self._published_in_database():
            raise ImmutableRecordError(
                f"Terms of use {self.version} are published; make a new version instead."
            )
        text_fields_clean(self)
        # The admin's form field sanitises too; this covers every other way in
        # (the shell, fixtures, seed data).
        self.body = self._meta.get_field("body").sanitize(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accounts:terms_version", args=[self.version])

    def delete(self, *args, **kwargs):
        if self._published_in_database():
            raise ImmutableRecordError(f"Terms of use {self.version} are published.")
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.pk is not None and self._published_in_database():
            raise ValidationError(
                "This version took effect while you were editing it, so it can no longer "
                "change. Make a new version instead."
            )
        if self.effective_at is not None and self.effective_at < timezone.now():
            raise ValidationError(
                {
                    "effective_at": (
                        "A new version cannot take effect in the past. Choose a later time, "
                        "or leave it empty to keep the version as a draft."
                    )
                }
            )

    @property
    def is_published(self) -> bool:
        return self.effective_at is not None and self.effective_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        """Put into effect at a later time: still open to corrections until then."""
        return self.effective_at is not None and self.effective_at > timezone.now()

    @property
    def is_draft(self) -> bool:
        return self.effective_at is None

    @property
    def status_label(self) -> str:
        """ "Draft", "Scheduled" or "Published", for editors."""
        if self.is_draft:
            return "Draft"
        return "Scheduled" if self.is_scheduled else "Published"

    def _published_in_database(self) -> bool:
        # Ask the database, not this instance: an in-memory effective date
        # moved into the future must not unlock a published version.
        return type(self).objects.filter(pk=self.pk).published().exists()


# --- Consent records -------------------------------------------------------------------


class TermsAcceptanceQuerySet(models.QuerySet):
    def accepted(self) -> "TermsAcceptanceQuerySet":
        return self.filter(decision=TermsAcceptance.Decision.ACCEPTED)

    def anonymise(self) -> int:
        """
        Unlink records from a person who deleted their account: the only change
        a consent record ever gets. What remains says that someone agreed to a
        version, when and how, and nothing about who.
        """
        return super().update(user=None, ip_address=None, user_agent="")

    anonymise.alters_data = True

    def update(self, **kwargs):
        raise ImmutableRecordError("Consent records are append-only.")

    update.alters_data = True

    def delete(self):
        raise ImmutableRecordError("Consent records are append-only.")

    delete.alters_data = True
    delete.queryset_only = True


class TermsAcceptance(TextFieldsCleanedOnValidation, models.Model):
    """
    A consent record: one reader's answer to one version of the terms, with the
    evidence of how it was given. Append-only; nobody may change or delete one,
    in the admin or in code. When a reader deletes their account their records
    stay, anonymised (see `TermsAcceptanceQuerySet.anonymise`).

    A decline is recorded too (a reader asked to accept a new version who says
    no), as a row with `decision` "declined", so the record shows both.
    """

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    class Method(models.TextChoices):
        SIGNUP = "signup", "Sign-up form"
        DIALOG = "dialog", "Terms dialog (or its form on the terms page)"
        REACCEPTANCE = "reacceptance", "Asked again after a new version"
        # Asked on /terms/accept/ with no earlier acceptance to go "again" from:
        # an account made without sign-up (createsuperuser, the admin, the
        # shell), or one that has only ever declined.
        FIRST_ASK = "first_ask", "Asked before going on, never having accepted"

    USER_AGENT_MAX_LENGTH = 255

    user = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="terms_acceptances",
        help_text="Empty for a visitor without an account, or after the account was deleted.",
    )
    terms = models.ForeignKey(
        TermsOfUse,
        on_delete=models.PROTECT,
        related_name="acceptances",
        verbose_name="terms version",
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.ACCEPTED)
    method = models.CharField("how", max_length=20, choices=Method.choices)
    answered_at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField("browser", max_length=USER_AGENT_MAX_LENGTH, blank=True)

    objects = TermsAcceptanceQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at", "-pk"]
        verbose_name = "consent record"
        verbose_name_plural = "consent records"
        indexes = [models.Index(fields=["user", "terms"], name="accounts_consent_user_terms")]

    def __str__(self):
        who = self.user or "anonymous"
        return f"{who} {self.get_decision_display().lower()} {self.terms.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError("Consent records are append-only.")
        text_fields_clean(self)  # the user agent is whatever the request said
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Consent records are append-only.")
