from django.urls import path

from enablement.accounts.sso import views

app_name = "sso"

urlpatterns = [
    path("authenticate/", views.StartView.as_view(), name="start"),
    # The redirect URI registered at the provider: https://<host>/oidc/callback/
    path("callback/", views.CallbackView.as_view(), name="callback"),
]
