"""The support request webhook events, written to the outbox by the support services in the transaction of the
change and registered (with the rest of `managers`' events, see `managers.webhook_events.EVENT_TYPES`) from
`ManagersConfig.ready()`. No free text: what is blocked, the details, comments and the resolution stay in the
platform (read them from GET /api/v1/support-requests/{id}/ with the support:read scope)."""

from collections.abc import Iterator

from enablement.webhooks.events import PERSON_REF, EventType
from enablement.webhooks.outbox import emit
from enablement.webhooks.payloads import person_ref
from managers.models import SupportRequest

_FIELDS = {
    "id": "the support request's id",
    "kind": "tool, process, partner, enablement or data",
    "state": "the request's state: open, acknowledged, in_progress, resolved or declined",
    "raised_by": f"{PERSON_REF} who raised it",
    "owner": f"{PERSON_REF} who owns it",
    "function": '{"id", "name"} of the function it was raised to, or null',
    "support_item": '{"id", "name"} of the charter support item it concerns, or null',
    "raised_at": "time",
    "first_response_due_at": "time",
    "reopen_count": "how many times the raiser said a resolution did not fix it (integer)",
}

EVENT_TYPES = (
    EventType(
        "support_request.opened",
        "A manager raised a support request, or reopened one whose resolution did not fix the problem "
        "(reopen_count above 0).",
        dict(_FIELDS),
    ),
    EventType(
        "support_request.resolved",
        "A support request's owner resolved it; the raiser is asked whether it fixed the problem.",
        {**_FIELDS, "resolved_at": "time", "first_response_at": "time the owner first responded"},
    ),
)


def _payload(request: SupportRequest) -> dict:
    function, item = request.function, request.support_item
    return {
        "id": request.pk,
        "kind": request.kind,
        "state": request.state,
        "raised_by": person_ref(request.raised_by),
        "owner": person_ref(request.owner),
        "function": {"id": function.pk, "name": function.name} if function else None,
        "support_item": {"id": item.pk, "name": item.name} if item else None,
        "raised_at": request.created_at,
        "first_response_due_at": request.first_response_due_at,
        "reopen_count": request.reopen_count,
    }


def support_request_opened(request: SupportRequest) -> None:
    def payloads() -> Iterator[dict]:
        yield _payload(request)

    emit("support_request.opened", payloads())


def support_request_resolved(request: SupportRequest) -> None:
    def payloads() -> Iterator[dict]:
        yield {**_payload(request), "resolved_at": request.resolved_at, "first_response_at": request.first_response_at}

    emit("support_request.resolved", payloads())
