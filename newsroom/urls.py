from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from newsroom import views

admin.site.site_header = "Newsroom administration"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Newsroom"
# Staff sign in through the site's own log-in page, which allauth rate-limits
# per address and per account; Django's admin form has no limit at all.
admin.site.login = secure_admin_login(admin.site.login)

handler500 = "newsroom.views.server_error"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # The reader's account page is /accounts/; allauth's own pages sit beside it.
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("cart.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Uploaded images, for a single-machine setup without a web server in
    # front. Not django.conf.urls.static.static(): that one only works with
    # DEBUG on, and SERVE_MEDIA is meant to work without it.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
