from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from enablement.accounts.forms import ChangePasswordForm, SignInForm
from enablement.api import docs as api_docs
from enablement.notifications import views as notification_views
from enablement.web import views

enablement_patterns = (
    [
        path("", views.home, name="home"),
        path("people/", views.person_list, name="person-list"),
        path("people/<id:pk>/", views.person_detail, name="person-detail"),
        path("team/", views.my_team, name="my-team"),
        path("org/", views.org_overview, name="org-overview"),
        path("healthz", views.health, name="health"),
        path("inbox/", notification_views.inbox, name="inbox"),
        path("inbox/<id:pk>/read/", notification_views.inbox_mark_read, name="inbox-mark-read"),
        path("inbox/read-all/", notification_views.inbox_mark_all_read, name="inbox-mark-all-read"),
        path("notifications/", notification_views.notification_preferences, name="notification-preferences"),
        path("api-clients/", views.api_client_list, name="api-client-list"),
        path("api-clients/new/", views.api_client_create, name="api-client-create"),
        path("api-clients/<id:pk>/revoke/", views.api_client_revoke, name="api-client-revoke"),
    ],
    "enablement",
)

account_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(form_class=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

urlpatterns = [
    path("", include(enablement_patterns)),
    path("accounts/", include(account_patterns)),
    path("admin/", admin.site.urls),
    # The API's description and its docs: the only API pages answered without credentials.
    # Open to anyone (docs), so cached: it only changes with a deploy, and building it costs ~0.2 s.
    path("api/schema/", cache_page(60 * 60)(SpectacularAPIView.as_view()), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", api_docs.RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/redoc/redoc.standalone.js", api_docs.redoc_bundle, name="api-redoc-bundle"),
    path("api/v1/", include("enablement.api.people.urls")),
    path("scim/v2/", include("enablement.scim.urls")),
    path("api/v1/", include("managers.api.urls")),
    path("api/v1/", include("coaching.api.urls")),
    path("webhooks/", include("enablement.webhooks.urls")),
    path("coaching/", include("coaching.urls")),
    path("", include("managers.urls")),
]
