"""Reads of API clients, scoped to who may manage them."""

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, QuerySet

from enablement.accounts import policy, roles
from enablement.accounts.policy import User
from enablement.models import ApiClient


def api_clients_for(*, user: User) -> QuerySet[ApiClient]:
    """Every API client for those who manage them (none for anyone else), with who made and revoked it and
    `hr_admin_access`: whether the account it acts as is in the HR admin group."""
    if not policy.can_manage_api_clients(user):
        return ApiClient.objects.none()
    hr_admin_group = Group.objects.filter(name=roles.HR_ADMIN, user=OuterRef("user"))
    return ApiClient.objects.select_related("owner", "revoked_by").annotate(hr_admin_access=Exists(hr_admin_group))
