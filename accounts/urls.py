from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/", views.account, name="account"),
    path("terms/", views.terms, name="terms"),
]
