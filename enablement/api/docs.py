"""The API's documentation pages, Swagger UI and Redoc, load nothing from another host.

Both come from drf-spectacular-sidecar's static files, and our Redoc template leaves out drf-spectacular's
Google Fonts links. Redoc's bundle, though, draws Redocly's badge at the foot of its sidebar from
cdn.redoc.ly, whatever its options say (drf-spectacular-sidecar issue #11): the page therefore loads the
bundle from `redoc_bundle`, the sidecar's file with a blank image in the badge's place.
"""

import functools
import hashlib
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularRedocView

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REDOCLY_BADGE = b'"https://cdn.redoc.ly/redoc/logo-mini.svg"'
YEAR = 365 * 24 * 60 * 60
BLANK_IMAGE = b'"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"'


@functools.cache
def redoc_bundle_source() -> tuple[bytes, str]:
    """The sidecar's Redoc bundle with the badge blanked, and a digest of it that changes with an upgrade."""
    source = Path(finders.find(REDOC_BUNDLE)).read_bytes().replace(REDOCLY_BADGE, BLANK_IMAGE)
    return source, hashlib.sha256(source).hexdigest()[:16]


@require_safe
@gzip_page
def redoc_bundle(request: HttpRequest) -> HttpResponse:
    """Public, like the docs. Cached for good under the digest the page asks for (`?v=`)."""
    source, digest = redoc_bundle_source()
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    if request.GET.get("v") == digest:
        patch_cache_control(response, public=True, immutable=True, max_age=YEAR)
    return response


class RedocView(SpectacularRedocView):
    """drf-spectacular's Redoc page, with the bundle from `redoc_bundle`."""

    template_name = "enablement/api_redoc.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["redoc_standalone"] = f"{reverse('api-redoc-bundle')}?v={redoc_bundle_source()[1]}"
        return response
