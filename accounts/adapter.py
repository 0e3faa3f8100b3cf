from allauth.account.adapter import DefaultAccountAdapter

from accounts import services
from accounts.consent import consent_evidence, remember_accepted
from accounts.models import TermsOfUse


class AccountAdapter(DefaultAccountAdapter):
    """
    allauth, with the reader's account and their consent record written
    together by `services.signup_with_consent`.
    """

    def is_open_for_signup(self, request):
        # Nobody can sign up before there are terms to agree to.
        return TermsOfUse.objects.current_cached() is not None

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
        return saved
