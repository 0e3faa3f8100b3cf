from allauth.account.fields import EmailField
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context, ratelimit
from django import forms
from django.db import transaction

from accounts.models import TermsOfUse, User

HONEYPOT_FIELD = "website"

# The database column's length. Django's email validator allows 320
# characters, which PostgreSQL would refuse with a DataError (a 500).
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length

# The rate limit (in ACCOUNT_RATE_LIMITS) on accounts actually created, as
# opposed to allauth's "signup" limit, which counts every attempt, typos included.
SIGNUP_COMPLETED_RATE_LIMIT = "signup_completed"


class SignupForm(AllauthSignupForm):
    """
    allauth's sign-up form (email, password with Django's validators) plus a
    display name, the required terms checkbox and a honeypot. allauth uses it
    through ACCOUNT_FORMS["signup"]; templates/account/signup.html renders it.
    """

    email = EmailField(max_length=EMAIL_MAX_LENGTH)
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
    terms_version = forms.CharField(widget=forms.HiddenInput, required=False)
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
        return " ".join(self.cleaned_data["display_name"].split())

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


class AddEmailForm(AllauthAddEmailForm):
    """
    allauth's form for adding an address on /accounts/email/ (through
    ACCOUNT_FORMS["add_email"]), refusing an address that belongs to another
    account.

    allauth checks only its own EmailAddress rows and, with enumeration
    prevention on, lets even those through, trusting the confirmation email.
    But accounts made outside sign-up may hold an address as User.email alone,
    and an address confirmed for the wrong account is a takeover (password
    resets). So the reader is told plainly that the address is taken: nothing
    is added and no email is sent. Sign-up says the same with our settings
    (ACCOUNT_EMAIL_VERIFICATION "optional"), to anyone; this form needs a
    signed-in reader and allauth limits it to 10 tries a minute.
    """

    email = EmailField(max_length=EMAIL_MAX_LENGTH, required=True)

    def clean_email(self):
        email = self.cleaned_data["email"]
        if User.objects.holding_address(email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(
                "This address belongs to another account, so it cannot be added to yours.",
                code="email_taken",
            )
        return super().clean_email()


class TermsAnswerForm(forms.Form):
    """Accept or decline a new version of the terms (the re-acceptance page)."""

    version = forms.CharField(max_length=20)
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
        return " ".join(self.cleaned_data["display_name"].split())


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
