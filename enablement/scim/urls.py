from django.urls import path, re_path

from enablement.scim.views import ScimView

app_name = "scim"

urlpatterns = [
    path("", ScimView.as_view(), name="root"),
    re_path(r"^(?P<path>.+)$", ScimView.as_view(), name="endpoint"),
]
