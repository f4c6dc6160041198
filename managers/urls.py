from django.urls import path

from managers.views import charters

app_name = "managers"

urlpatterns = [
    path("charters/", charters.role_list, name="role-list"),
]
