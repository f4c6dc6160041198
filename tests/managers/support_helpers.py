"""Support request data for tests: a Revenue Operations function outside the sales org, and requests raised
through the services (dated in the past when a test needs age)."""

import datetime

from managers.models import SupportFunction, SupportRequest
from managers.services.support import support_request_raise
from tests.enablement.factories import PersonFactory, UserFactory


def outside_people() -> dict:
    """`revops_lead` (VP Revenue Operations, reports to nobody in sales) and `revops` below them, who owns the
    Revenue Operations function; both can sign in."""
    lead = PersonFactory(
        user=UserFactory(username="revops_lead"), title="VP Revenue Operations", first_name="Vera", last_name="Lead"
    )
    revops = PersonFactory(
        user=UserFactory(username="revops"), manager=lead, title="RevOps partner", first_name="Rachel", last_name="Kim"
    )
    function = SupportFunction.objects.create(name="Revenue Operations", owner=revops, description="CRM, CPQ, data")
    return {"revops_lead": lead, "revops": revops, "function": function}


def raise_request(raiser, *, function=None, owner=None, title="CPQ approvals take five days", days_ago=0, **extra):
    """A request raised by `raiser` through the service, moved `days_ago` days into the past (raised, due)."""
    request = support_request_raise(
        by=raiser.user,
        title=title,
        kind=extra.pop("kind", SupportRequest.Kind.TOOL),
        function=function,
        owner=owner,
        **extra,
    )
    if days_ago:
        shift = datetime.timedelta(days=days_ago)
        SupportRequest.objects.filter(pk=request.pk).update(
            created_at=request.created_at - shift, first_response_due_at=request.first_response_due_at - shift
        )
        request.refresh_from_db()
    return request
