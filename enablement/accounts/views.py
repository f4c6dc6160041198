"""The sign-in page: a password form, and the button of the single sign-on provider when there is one."""

from django.conf import settings
from django.contrib.auth.views import LoginView

from enablement.accounts.forms import SignInForm


class SignInView(LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_provider_name"] = settings.OIDC_PROVIDER_NAME if settings.SSO_ENABLED else ""
        context["password_sign_in"] = settings.PASSWORD_SIGN_IN
        return context
