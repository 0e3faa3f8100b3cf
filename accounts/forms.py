from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.fields import EmailField
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal import flows
from allauth.account.models import Login
from allauth.core import context, ratelimit
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from accounts.identity import email_normalise, email_validate_visible
from accounts.models import TermsOfUse, User
from newsroom.text import person_name_clean

HONEYPOT_FIELD = "website"

# The database column's length. Django's email validator allows 320
# characters, which PostgreSQL would refuse with a DataError (a 500).
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


class IdentityEmailField(EmailField):
    """
    allauth's email field that refuses invisible characters and reads the
    address in its NFKC form (accounts/identity.py) before Django's validator
    looks at it, so an address typed in fullwidth letters is the editor's address (taken)
    rather than a malformed one, and `editor@example.com` + U+200B is refused
    by name. Surrounding whitespace is stripped first, as Django does.
    """

    def to_python(self, value):
        value = super().to_python(value)
        email_validate_visible(value)
        return email_normalise(value)


# The rate limit (in ACCOUNT_RATE_LIMITS) on accounts actually created, as
# opposed to allauth's "signup" limit, which counts every attempt, typos included.
SIGNUP_COMPLETED_RATE_LIMIT = "signup_completed"


class SignupForm(AllauthSignupForm):
    """
    allauth's sign-up form (email, password with Django's validators) plus a
    display name, the required terms checkbox and a honeypot. allauth uses it
    through ACCOUNT_FORMS["signup"]; templates/account/signup.html renders it.
    """

    email = IdentityEmailField(max_length=EMAIL_MAX_LENGTH)
    display_name = forms.CharField(
        label="Display name",
        max_length=User._meta.get_field("display_name").max_length,
        required=False,
        help_text="How we greet you on the site. Optional.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    agree_terms = forms.BooleanField(
        label="I agree to the Terms of use",
        error_messages={
            "required": "To create an account, please read the Terms of use and tick the box."
        },
    )
    # The version the reader was shown, so we record what they actually read.
    # Compared as typed (strip=False): " 2 " is not version "2".
    terms_version = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    # Naive bots fill in every field; people never see this one (see the
    # template for how screen reader users are told to leave it empty).
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = ["email", "display_name", "password1", "agree_terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = TermsOfUse.objects.current_cached()
        if self.terms is not None:
            self.fields["terms_version"].initial = self.terms.version
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["password1"].widget.attrs.pop("placeholder", None)

    def clean_display_name(self):
        return person_name_clean(self.cleaned_data["display_name"])

    def validate_unique_email(self, value):
        # Never a form error for a taken address (issue 13.8): whoever signs
        # up gets the same answer, and the owner gets a mail (try_save).
        self.account_already_exists = User.objects.holding_address(value).exists()
        return get_adapter().validate_unique_email(value)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get(HONEYPOT_FIELD):
            # Say as little as possible to whoever filled it in.
            raise forms.ValidationError(
                "We could not create your account. Please try again.", code="honeypot"
            )
        if self.terms is None:
            raise forms.ValidationError("Sign-up is closed for the moment.", code="no_terms")
        shown = cleaned_data.get("terms_version")
        if shown and shown != self.terms.version:
            # A new version took effect while the form was open: the reader
            # agreed to text that is no longer current.
            self.add_error(
                "agree_terms",
                forms.ValidationError(
                    "Our Terms of use changed while you were signing up. Please read the "
                    "new version and tick the box again.",
                    code="terms_changed",
                ),
            )
            self.data = self.data.copy()
            self.data["terms_version"] = self.terms.version
            self.data.pop("agree_terms", None)
        cleaned_data["terms"] = self.terms
        if not self.errors and not ratelimit.consume(
            context.request, action=SIGNUP_COMPLETED_RATE_LIMIT
        ):
            # Only a form that would create an account counts here.
            raise forms.ValidationError(
                "Too many accounts were created from your network in the last hour. "
                "Please try again later.",
                code="rate_limited",
            )
        return cleaned_data

    def save(self, request):
        # allauth saves the user (our adapter writes the consent record with
        # it) and then the email address: all of it or none of it.
        with transaction.atomic():
            return super().save(request)

    def try_save(self, request):
        """
        Create the account, or mail the owner of the address that it already
        has one; either way the reader is sent to "check your inbox" and is
        not signed in. (allauth does this itself only with mandatory
        verification; with "optional" it says the address is taken, which lets
        anyone test which addresses have accounts.)

        A new account is signed in when its owner follows the confirmation
        link, or logs in with the password. Another sign-up with the same
        address that wins the race between our check and our insert (the
        unique index refuses ours: IntegrityError) is treated as the taken
        address it now is, not a 500 (issue 13.6).

        Uses allauth's own sign-up flows with verification made mandatory for
        this one step (`allauth.account.internal.flows`, pinned in
        requirements.txt).
        """
        terms = self.cleaned_data["terms"]
        mandatory = allauth_settings.EmailVerificationMethod.MANDATORY
        if not self.account_already_exists:
            try:
                user = self.save(request)
            except IntegrityError:
                self.account_already_exists = True
            else:
                response = flows.signup.complete_signup(
                    request, user=user, email_verification=mandatory
                )
                return user, response
        # As much work as creating an account (hashing the password), so the
        # time taken does not tell either.
        make_password(self.cleaned_data.get("password1"))
        # The terms cookie as for a new account (the reader did tick the box);
        # no consent record and nothing in the session: no account was made.
        get_adapter().remember_signup_terms(request, terms)
        login = Login(
            user=None,
            email=self.cleaned_data["email"],
            signup=True,
            email_verification=mandatory,
        )
        return None, flows.login.perform_login(request, login)


class AddEmailForm(AllauthAddEmailForm):
    """
    allauth's form for adding an address on /accounts/email/ (through
    ACCOUNT_FORMS["add_email"]), with the database's length limit.

    It answers the same whether or not the address belongs to another account
    (issue 13.8): the address is listed as unconfirmed and "a confirmation
    email was sent". But an address that another account holds (as its login,
    or confirmed) is never sent a confirmation link, which would hand it to
    the wrong account: its owner gets allauth's "you already have an account"
    mail instead (AccountAdapter.send_confirmation_mail), and confirming it
    is refused anyway (AccountAdapter.confirm_email). allauth limits this form
    to 10 tries a minute.
    """

    email = IdentityEmailField(max_length=EMAIL_MAX_LENGTH, required=True)


class TermsAnswerForm(forms.Form):
    """Accept or decline a new version of the terms (the re-acceptance page)."""

    version = forms.CharField(max_length=20, strip=False)  # as typed: " 2 " is not "2"
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline")],
        error_messages={"required": "Please choose Accept or Decline."},
    )


class DisplayNameForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]
        help_texts = {"display_name": "How we greet you on the site. Leave empty to use none."}

    def clean_display_name(self):
        return person_name_clean(self.cleaned_data["display_name"])


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password
