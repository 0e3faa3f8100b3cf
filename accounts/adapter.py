import logging

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit as allauth_ratelimit
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from accounts import services
from accounts.consent import consent_evidence, remember_accepted, set_terms_answer_cookie
from accounts.forms import EMAIL_MAX_LENGTH
from accounts.identity import email_normalise, email_validate_visible
from accounts.models import TermsOfUse, User
from newsroom.client import client_ip

logger = logging.getLogger(__name__)

# Mail whose failure the reader is told about, because they are waiting for it
# and it is about their own address. A password reset is not among them: the
# page answers the same whether or not the address has an account, and a
# message only for known addresses would give that away.
SIGNUP_MAIL_TEMPLATES = (
    "account/email/email_confirmation_signup",
    # With mandatory verification, sign-up with a taken address pretends to
    # succeed and sends this instead; it must fail the same way.
    "account/email/account_already_exists",
)
CONFIRMATION_MAIL_TEMPLATE = "account/email/email_confirmation"
CONFIRMATION_SENT_MESSAGE = "account/messages/email_confirmation_sent.txt"

# Wrong passwords counted per account *and* client address (issue 13.9); its
# rate is in ACCOUNT_RATE_LIMITS beside allauth's own "login_failed".
LOGIN_FAILED_PAIR_RATE_LIMIT = "login_failed_pair"

# Set on the request when the confirmation email could not be sent, so that
# allauth's "Confirmation email sent" message is not shown beside ours.
UNSENT_CONFIRMATION_ATTRIBUTE = "accounts_unsent_confirmation"
# Set on the request when sign-up recorded the reader's agreement to the terms.
SIGNUP_TERMS_ATTRIBUTE = "accounts_signup_terms"


class AccountAdapter(DefaultAccountAdapter):
    """
    allauth, with the reader's account and their consent record written
    together by `services.signup_with_consent`, mail failures that never cost
    the reader a 500, and addresses that fit the database.
    """

    def is_open_for_signup(self, request):
        # Nobody can sign up before there are terms to agree to.
        return TermsOfUse.objects.current_cached() is not None

    def get_client_ip(self, request):
        """The site's one reading of the client address (newsroom.client), for
        allauth's rate limits too: allauth's own raises ImproperlyConfigured
        (a 500) on an X-Forwarded-For shorter than TRUSTED_PROXY_COUNT."""
        address = client_ip(request)
        if not address:
            # allauth's contract: no address is refused, not rate-limited as "".
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def save_user(self, request, user, form, commit=True):
        if not commit:
            return super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        saved = services.signup_with_consent(
            user=user,
            email=data["email"],
            password=data.get("password1"),
            display_name=data.get("display_name", ""),
            terms=data["terms"],
            **consent_evidence(request),
        )
        remember_accepted(request, data["terms"])
        self.remember_signup_terms(request, data["terms"])
        return saved

    def remember_signup_terms(self, request, terms: TermsOfUse) -> None:
        """The sign-up form's reader ticked the box for `terms`: the response
        sets the terms dialog's cookie (see `_remember_terms_answer`)."""
        setattr(request, SIGNUP_TERMS_ATTRIBUTE, terms)

    def clean_email(self, email):
        # Every allauth form that takes an address passes through here (sign-up,
        # adding an address, password reset). No invisible characters, and the
        # NFKC form is what is stored and compared (accounts/identity.py).
        email_validate_visible(email)
        email = email_normalise(super().clean_email(email))
        # Django's validator allows 320 characters; the column holds 254.
        if len(email) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                f"An email address can be at most {EMAIL_MAX_LENGTH} characters long.",
                code="max_length",
            )
        return email

    # --- Wrong passwords: nobody can lock the owner out (issue 13.9) ------------------

    def pre_authenticate(self, request, **credentials):
        """
        Count a log-in attempt against three limits (ACCOUNT_RATE_LIMITS):
        allauth's "login_failed" per client address and per account, and
        ours, "login_failed_pair", per account *and* client address.

        The tight limit is the pair: a few wrong passwords from one address
        block that address for that account. The account's own limit is set
        higher than one address can reach, so someone else guessing from their
        own address cannot lock the owner out, while many addresses together
        still can be stopped; then a password reset lifts it (allauth clears
        "login_failed" on reset, and `_delete_login_attempts_cached_email`
        below clears the pair for the address that reset). A successful log-in
        gives back what it used of all three, as allauth does for its own.

        Uses allauth's internal rate-limit module (as its adapter does) for
        the usage object that can be rolled back; pinned in requirements.txt.
        """
        pair = allauth_ratelimit.consume(
            request,
            app="allauth.account",
            action=LOGIN_FAILED_PAIR_RATE_LIMIT,
            key=self._login_pair_key(request, **credentials),
        )
        if not pair:
            raise self.validation_error("too_many_login_attempts")
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            pair.rollback()  # refused before any password was tried
            raise
        self._login_failed_pair_usage = pair

    def _rollback_login_failed_rl_usage(self):
        super()._rollback_login_failed_rl_usage()
        pair = getattr(self, "_login_failed_pair_usage", None)
        if pair:
            pair.rollback()

    def _delete_login_attempts_cached_email(self, request, **credentials):
        super()._delete_login_attempts_cached_email(request, **credentials)
        allauth_ratelimit.clear(
            request,
            app="allauth.account",
            action=LOGIN_FAILED_PAIR_RATE_LIMIT,
            key=self._login_pair_key(request, **credentials),
        )

    def _login_pair_key(self, request, **credentials) -> str:
        account = self._get_login_attempts_cache_key(request, **credentials)
        return f"{account}|{allauth_ratelimit.get_ip(request)}"

    # --- The terms dialog's cookie after sign-up ------------------------------------

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        return self._remember_terms_answer(request, response)

    def respond_email_verification_sent(self, request, user):
        # With mandatory verification, sign-up ends here instead of logging in.
        response = super().respond_email_verification_sent(request, user)
        return self._remember_terms_answer(request, response)

    def _remember_terms_answer(self, request, response):
        """
        A reader who ticked the box on the sign-up form has answered the terms
        dialog too: without the cookie it would ask again once they log out.
        """
        terms = getattr(request, SIGNUP_TERMS_ATTRIBUTE, None)
        if terms is not None and hasattr(response, "set_cookie"):
            set_terms_answer_cookie(response, terms)
        return response

    # --- Mail ------------------------------------------------------------------------------

    def send_mail(self, template_prefix, email, context):
        """
        Send one of allauth's emails; when the mail server fails, log it and go
        on. The account, the reset request or the new address is already saved
        by then, and a 500 would hide that from the reader (and, on password
        reset, answer differently for a known address than for an unknown one).
        """
        try:
            super().send_mail(template_prefix, email, context)
        except Exception:
            # Any backend's error, not only smtplib's: the mail is a side
            # effect, and the traceback goes to the log for the operator.
            logger.exception(
                "Could not send %s to an address at %s",
                template_prefix,
                email.rpartition("@")[2],
            )
            self._tell_reader_mail_failed(
                getattr(self, "_failure_template", template_prefix), email
            )

    def _tell_reader_mail_failed(self, template_prefix, email):
        request = allauth_context.request
        if request is None:
            return
        if template_prefix in SIGNUP_MAIL_TEMPLATES:
            if (
                allauth_settings.EMAIL_VERIFICATION
                == allauth_settings.EmailVerificationMethod.MANDATORY
            ):
                text = (
                    f"We could not send the email to confirm {email} just now. "
                    "Your account is saved: log in again in a few minutes and we will send "
                    "you a new link."
                )
            else:
                text = (
                    f"Your account is ready, but we could not send the email to confirm {email} "
                    "just now. Log in with your password and, in a few minutes, ask for it "
                    "again from your account page: Manage your email addresses, then Re-send "
                    "verification."
                )
        elif template_prefix == CONFIRMATION_MAIL_TEMPLATE:
            text = (
                f"We could not send the email to confirm {email} just now. "
                "Please ask for it again in a few minutes."
            )
        else:
            return
        setattr(request, UNSENT_CONFIRMATION_ATTRIBUTE, True)
        messages.warning(request, text)

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        if message_template == CONFIRMATION_SENT_MESSAGE and getattr(
            request, UNSENT_CONFIRMATION_ATTRIBUTE, False
        ):
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        """
        A confirmation link for an address that another account holds would
        hand that address to the wrong account. Its owner is told instead that
        someone tried to use it (allauth's "account already exists" mail), and
        the page says "confirmation sent" all the same, so the form does not
        reveal which addresses have accounts (issue 13.8).
        """
        address = emailconfirmation.email_address
        if User.objects.holding_address(address.email).exclude(pk=address.user_id).exists():
            # Should it fail, the reader is told what they would be told about
            # the confirmation mail they think was sent.
            self._failure_template = CONFIRMATION_MAIL_TEMPLATE
            self.send_account_already_exists_mail(address.email)
            return
        super().send_confirmation_mail(request, emailconfirmation, signup)

    # --- Confirming an address ----------------------------------------------------------

    def confirm_email(self, request, email_address):
        """
        Never confirm an address for one account while another holds it (as
        its login, or confirmed). allauth only knows its own EmailAddress rows;
        `send_confirmation_mail` sends no link for such addresses, and this
        covers links sent before it did, and two confirmations at once.
        """
        held_elsewhere = (
            User.objects.holding_address(email_address.email)
            .exclude(pk=email_address.user_id)
            .exists()
        )
        if not held_elsewhere:
            try:
                # Two accounts confirming one address at the same moment: the
                # database's one-verified-owner index refuses the second (issue
                # 13.6); that reader gets the message below instead of a 500.
                with transaction.atomic():
                    return super().confirm_email(request, email_address)
            except IntegrityError:
                pass
        self.add_message(
            request,
            messages.ERROR,
            "account/messages/email_confirmation_failed.txt",
            {"email": email_address.email},
        )
        return False
