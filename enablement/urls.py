from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from enablement.accounts import views as accounts_views
from enablement.accounts.forms import ChangePasswordForm
from enablement.accounts.sso import views as sso_views
from enablement.api import docs as api_docs
from enablement.api.clients import views as api_client_views
from enablement.health import views as health_views
from enablement.notifications import views as notification_views
from enablement.org import views as org_views
from enablement.web import views

enablement_patterns = (
    [
        path("", views.home, name="home"),
        path("people/", org_views.person_list, name="person-list"),
        path("people/<id:pk>/", org_views.person_detail, name="person-detail"),
        path("team/", org_views.my_team, name="my-team"),
        # The organization overview is absorbed by Manager impact (every manager below a leader, with their
        # figures); everyone else below them is in People ("Leads a team" for managers without a charter role).
        path("org/", RedirectView.as_view(pattern_name="coaching:impact", permanent=True), name="org-overview"),
        path("healthz", health_views.health, name="health"),
        path("inbox/", notification_views.inbox, name="inbox"),
        path("inbox/<id:pk>/read/", notification_views.inbox_mark_read, name="inbox-mark-read"),
        path("inbox/read-all/", notification_views.inbox_mark_all_read, name="inbox-mark-all-read"),
        path("notifications/", notification_views.notification_preferences, name="notification-preferences"),
        path("api-clients/", api_client_views.api_client_list, name="api-client-list"),
        path("api-clients/new/", api_client_views.api_client_create, name="api-client-create"),
        path("api-clients/<id:pk>/revoke/", api_client_views.api_client_revoke, name="api-client-revoke"),
    ],
    "enablement",
)

account_patterns = [
    path("login/", accounts_views.SignInView.as_view(), name="login"),
    # Ends the provider's session too after a single sign-on (RP-initiated logout).
    path("logout/", sso_views.sign_out, name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

urlpatterns = [
    path("", include(enablement_patterns)),
    path("accounts/", include(account_patterns)),
    # Single sign-on (OpenID Connect): /oidc/authenticate/ starts it, /oidc/callback/ is the redirect URI.
    path("oidc/", include("enablement.accounts.sso.urls")),
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
