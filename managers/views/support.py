"""Support pages: leaders' view of how the charters' support is rated, and support requests (raise,
respond, resolve, confirm) for raisers, owners and the leaders above them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from managers import policy
from managers.selectors import support as selectors


@require_GET
@login_required
def support_ratings(request: HttpRequest) -> HttpResponse:
    """Per role and per support item: how the holders below the leader rate it now."""
    if not policy.can_manage_charters(request.user):
        raise PermissionDenied(_("Support ratings per role are for sales leaders."))
    context = {"roles": selectors.support_ratings_by_role(user=request.user), "low_score": selectors.LOW_SCORE}
    return render(request, "managers/support/support_ratings.html", context)
