from django.urls import path, register_converter

from accounts import views
from accounts.models import VERSION_LABEL_PATTERN


class TermsVersionConverter:
    """Only strings that can be a version label reach the view (and the database)."""

    regex = VERSION_LABEL_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TermsVersionConverter, "terms_version")

app_name = "accounts"

urlpatterns = [
    path("accounts/", views.account, name="account"),
    path("accounts/data/", views.account_data, name="account_data"),
    path("accounts/delete/", views.account_delete, name="account_delete"),
    # Replaces allauth's view at the same address (this URLconf is included
    # before allauth's); reverse("account_email") still finds it.
    path("accounts/email/", views.EmailView.as_view(), name="email"),
    path("terms/", views.terms, name="terms"),
    path("terms/versions/", views.terms_versions, name="terms_versions"),
    path("terms/prompt/", views.terms_prompt, name="terms_prompt"),
    path("terms/agree/", views.terms_agree, name="terms_agree"),
    path("terms/not-now/", views.terms_not_now, name="terms_not_now"),
    path("terms/accept/", views.terms_accept, name="terms_accept"),
    # Version labels start with a digit (see TermsOfUse.version), so they never
    # collide with the word paths above.
    path("terms/<terms_version:version>/", views.terms_version, name="terms_version"),
]
