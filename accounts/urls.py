from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/", views.account, name="account"),
    path("accounts/data/", views.account_data, name="account_data"),
    path("accounts/delete/", views.account_delete, name="account_delete"),
    path("terms/", views.terms, name="terms"),
    path("terms/versions/", views.terms_versions, name="terms_versions"),
    path("terms/prompt/", views.terms_prompt, name="terms_prompt"),
    path("terms/agree/", views.terms_agree, name="terms_agree"),
    path("terms/not-now/", views.terms_not_now, name="terms_not_now"),
    path("terms/accept/", views.terms_accept, name="terms_accept"),
    # Version labels start with a digit (see TermsOfUse.version), so they never
    # collide with the word paths above.
    path("terms/<str:version>/", views.terms_version, name="terms_version"),
]
