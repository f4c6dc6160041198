"""What `managers` announces to webhook endpoints: one payload per signal, written to the outbox in the
transaction of the change. `EVENT_TYPES` documents each payload, field by field (registered with
enablement.webhooks.events by `ManagersConfig.ready()`). Payloads are built lazily: with no endpoint
listening, no query runs to build them."""

from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser

from enablement.webhooks.events import PERSON_REF, EventType
from enablement.webhooks.outbox import emit
from enablement.webhooks.payloads import person_ref, user_person_ref
from managers.models import Acknowledgement, Application, CharterVersion, Role, Scorecard
from managers.support_events import EVENT_TYPES as SUPPORT_EVENT_TYPES

ROLE_REF = '{"id", "code", "name"} of the role'

EVENT_TYPES = (
    EventType(
        "charter.published",
        "A role charter version was published; every holder of the role is asked to acknowledge it.",
        {
            "id": "the charter version's id",
            "role": ROLE_REF,
            "version": "the version number (integer)",
            "published_at": "time",
            "published_by": f"{PERSON_REF} who published it, or null for an account with no place in the org",
            "acknowledgements_requested": "how many holders were asked to acknowledge (integer)",
        },
    ),
    EventType(
        "charter.acknowledged",
        "A holder acknowledged the published charter of their role, rating its clarity 1-5.",
        {
            "id": "the acknowledgement's id",
            "charter_version_id": "the acknowledged version's id",
            "role": ROLE_REF,
            "version": "the version number (integer)",
            "person": f"{PERSON_REF} who acknowledged",
            "acknowledged_at": "time",
            "clarity": '{"focus", "deprioritize", "success"}: the three clarity ratings, 1-5',
            "asked_question": "whether they asked their leader a question (the text stays in the platform)",
        },
    ),
    EventType(
        "scorecard.submitted",
        "An interviewer submitted their scorecard. No ratings, evidence or summary: those stay behind "
        "the platform's independence rules.",
        {
            "id": "the scorecard's id",
            "interview_id": "the interview's id",
            "application_id": "the application's id",
            "requisition_id": "the requisition's id",
            "interviewer": f"{PERSON_REF} who interviewed",
            "recommendation": "strong_no, no, yes or strong_yes",
            "submitted_at": "time",
        },
    ),
    EventType(
        "application.decided",
        "A hire or reject decision was recorded. The rationale is not sent: read it from "
        "GET /api/v1/decisions/ with the hiring:read scope.",
        {
            "id": "the application's id",
            "decision": "hire or reject",
            "decided_at": "time",
            "decided_by": f"{PERSON_REF} who decided, or null for an account with no place in the org",
            "candidate": '{"id", "external_id"} of the candidate (external_id: the ATS key, or "")',
            "requisition": '{"id", "external_id"} of the requisition (external_id: the ATS key, or "")',
            "role": ROLE_REF,
            "person": f"{PERSON_REF} the hire became, or null for a rejection",
        },
    ),
    *SUPPORT_EVENT_TYPES,
)


def _role(role: Role) -> dict:
    return {"id": role.pk, "code": role.code, "name": role.name}


def charter_published(sender, *, version: CharterVersion, by: AbstractBaseUser | None, **kwargs) -> None:
    def payloads() -> Iterator[dict]:
        yield {
            "id": version.pk,
            "role": _role(version.role),
            "version": version.number,
            "published_at": version.published_at,
            "published_by": user_person_ref(by),
            "acknowledgements_requested": version.acknowledgements.filter(acknowledged_at__isnull=True).count(),
        }

    emit("charter.published", payloads())


def charter_acknowledged(sender, *, acknowledgement: Acknowledgement, by: AbstractBaseUser | None, **kwargs) -> None:
    def payloads() -> Iterator[dict]:
        version = acknowledgement.version
        yield {
            "id": acknowledgement.pk,
            "charter_version_id": version.pk,
            "role": _role(version.role),
            "version": version.number,
            "person": person_ref(acknowledgement.person),
            "acknowledged_at": acknowledgement.acknowledged_at,
            "clarity": {
                "focus": acknowledgement.clarity_focus,
                "deprioritize": acknowledgement.clarity_deprioritize,
                "success": acknowledgement.clarity_success,
            },
            "asked_question": bool(acknowledgement.question),
        }

    emit("charter.acknowledged", payloads())


def scorecard_submitted(sender, *, scorecard: Scorecard, by: AbstractBaseUser | None, **kwargs) -> None:
    """Ids and the recommendation only: ratings, evidence and the summary stay behind the independence
    rules (managers.policy), which a webhook receiver is outside of."""

    def payloads() -> Iterator[dict]:
        interview = scorecard.interview
        yield {
            "id": scorecard.pk,
            "interview_id": interview.pk,
            "application_id": interview.application_id,
            "requisition_id": interview.application.requisition_id,
            "interviewer": person_ref(interview.interviewer),
            "recommendation": scorecard.recommendation,
            "submitted_at": scorecard.submitted_at,
        }

    emit("scorecard.submitted", payloads())


def application_decided(sender, *, application: Application, by: AbstractBaseUser | None, **kwargs) -> None:
    """Without the rationale (free text): an HR system reads it from the decisions API."""

    def payloads() -> Iterator[dict]:
        candidate, requisition = application.candidate, application.requisition
        yield {
            "id": application.pk,
            "decision": application.decision,
            "decided_at": application.decided_at,
            "decided_by": user_person_ref(by),
            "candidate": {"id": candidate.pk, "external_id": candidate.external_id},
            "requisition": {"id": requisition.pk, "external_id": requisition.external_id},
            "role": _role(requisition.role),
            "person": person_ref(candidate.person) if application.decision == Application.Decision.HIRE else None,
        }

    emit("application.decided", payloads())


def connect() -> None:
    from managers import signals

    signals.charter_published.connect(charter_published, dispatch_uid="managers.webhooks.charter_published")
    signals.charter_acknowledged.connect(charter_acknowledged, dispatch_uid="managers.webhooks.charter_acknowledged")
    signals.scorecard_submitted.connect(scorecard_submitted, dispatch_uid="managers.webhooks.scorecard_submitted")
    signals.application_decided.connect(application_decided, dispatch_uid="managers.webhooks.application_decided")
