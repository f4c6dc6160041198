"""/scim/v2/. The view is imported on the first SCIM request: scim2-models builds about sixty pydantic models when
it is imported, about a second of CPU that every process loading the URLs (web and Celery workers, `manage.py`)
would otherwise pay for a protocol only the HR system's provisioning client speaks."""

from functools import cache

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt


@cache
def _scim_view():
    from enablement.scim.views import ScimView

    return ScimView.as_view()


@csrf_exempt  # as DRF's own views: SCIM clients authenticate with a token, never a session cookie
def scim(request, **kwargs):
    return _scim_view()(request, **kwargs)


app_name = "scim"

urlpatterns = [
    path("", scim, name="root"),
    re_path(r"^(?P<path>.+)$", scim, name="endpoint"),
]
