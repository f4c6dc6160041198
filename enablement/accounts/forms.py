"""Sign-in and password forms."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.PASSWORD_SIGN_IN:
            # The same answer for a wrong password and a right one of a non-administrator: it tells nothing.
            message = _("Only administrator accounts sign in with a password here. Sign in with {provider}.")
            self.error_messages = {
                **self.error_messages,
                "invalid_login": message.format(provider=settings.OIDC_PROVIDER_NAME).replace("%", "%%"),
            }
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Sign in"), css_class="w-100"))


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Change password")))
