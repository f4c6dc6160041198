"""Every write to roles and charters. Each runs in one transaction, validates first and records who did
it in the charter's audit trail (CharterEvent)."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from enablement.accounts.policy import require
from enablement.models import Person
from enablement.org.events import person_events_emit
from enablement.org.services import apply_validated, changed_fields
from managers import policy, signals
from managers.models import (
    Acknowledgement,
    CharterEvent,
    CharterVersion,
    DeprioritizedActivity,
    FocusArea,
    Role,
    RoleAssignment,
    SuccessMetric,
    SupportItem,
    SupportRating,
)
from managers.services.role_assignments import role_change_error, role_unchanged
from managers.services.support import RatingInput, support_ratings_record

ITEM_MODELS: dict[str, type] = {
    "focus_areas": FocusArea,
    "deprioritized": DeprioritizedActivity,
    "metrics": SuccessMetric,
    "support_items": SupportItem,
}
ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    "focus_areas": ("title", "description", "time_share"),
    "deprioritized": ("activity", "reason", "hand_off_to"),
    "metrics": ("key", "name", "unit", "target", "direction", "cadence"),
    "support_items": ("kind", "name", "function", "detail"),
}
MAX_TIME_SHARE = 100
ROLE_EDITABLE_FIELDS = ("name", "description", "review_cadence_months")
# The reminder kinds these services trigger (managers.reminders builds and registers them).
LEADER_REMIND_KIND = "charter.acknowledgement_leader_reminder"
ANSWERED_KIND = "charter.question_answered"


def _sweep_on_commit(kind_name: str) -> None:
    """Runs the kind's reminder sweep once this commits rather than at its next beat, so the holder hears
    now; the reminder's unique key keeps it to one however often the sweep runs."""
    from enablement.notifications.tasks import sweep_reminders_task

    transaction.on_commit(lambda: sweep_reminders_task.delay(kind_name), robust=True)


def _event(*, role: Role, action: str, by: AbstractBaseUser | None, version=None, detail: str = "") -> None:
    CharterEvent.objects.create(role=role, version=version, actor=by, action=action, detail=detail[:300])


def _require_draft(version: CharterVersion) -> None:
    if not version.is_draft:
        raise ValidationError(
            _("Version %(number)s is %(status)s and can no longer be changed.")
            % {"number": version.number, "status": version.get_status_display().lower()}
        )


@transaction.atomic
def role_create(
    *, code: str, name: str, by: AbstractBaseUser, description: str = "", review_cadence_months: int = 6
) -> Role:
    """Creates a role with an empty draft (version 1) to write its first charter in. Like every change to
    roles and charters below, by a sales leader (PermissionDenied otherwise)."""
    require(by, policy.can_manage_charters, message=policy.CHARTERS_DENIED)
    role = Role(code=code, name=name, description=description, review_cadence_months=review_cadence_months)
    role.full_clean()
    role.save()
    version = CharterVersion.objects.create(role=role, number=1, created_by=by)
    _event(role=role, action=CharterEvent.Action.ROLE_CREATED, by=by, version=version, detail=name)
    return role


@transaction.atomic
def role_update(*, role: Role, by: AbstractBaseUser, name: str, description: str, review_cadence_months: int) -> Role:
    """Renames or re-describes a role and changes its review cadence; the next review date follows the
    new cadence from the last review. Its code stays: other systems key on it."""
    require(by, policy.can_manage_charters, message=policy.CHARTERS_DENIED)
    data = {"name": name, "description": description, "review_cadence_months": review_cadence_months}
    changes = changed_fields(role, data, ROLE_EDITABLE_FIELDS)
    if not changes:
        return role
    if "review_cadence_months" in changes and role.last_reviewed_on:
        changes["next_review_on"] = role.last_reviewed_on + relativedelta(months=review_cadence_months)
    apply_validated(role, changes)
    role.save(update_fields=[*changes, "updated_at"])
    _event(role=role, action=CharterEvent.Action.ROLE_CHANGED, by=by, detail=", ".join(changes))
    return role


@transaction.atomic
def role_assign(*, person: Person, role: Role, on: datetime.date, by: AbstractBaseUser | None) -> RoleAssignment:
    """Makes `person` hold `role` from `on`, ending their current assignment (kept as history). If the
    role has a published charter, the person is asked to acknowledge it. Assigning the role they
    already hold changes nothing (`role_unchanged`); a change before the current role started is refused
    (`role_change_error`: ValidationError on `started_on`), as the HR sync refuses it."""
    current = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("role")
        .filter(person=person, ended_on__isnull=True)
        .first()
    )
    if role_unchanged(current=current, code=role.code):
        return current
    error = role_change_error(current=current, on=on)
    if error:
        raise ValidationError({"started_on": error})
    if current is not None:
        current.ended_on = on
        current.save(update_fields=["ended_on", "updated_at"])
        Acknowledgement.objects.filter(person=person, version__role=current.role, acknowledged_at__isnull=True).delete()
    assignment = RoleAssignment(person=person, role=role, started_on=on)
    assignment.full_clean()
    assignment.save()
    # The person's role is part of how the API shows them: incremental sync and webhooks must see it move.
    Person.objects.filter(pk=person.pk).update(updated_at=timezone.now())
    person_events_emit(updated=[(person, ["role"])])
    published = role.versions.filter(status=CharterVersion.Status.PUBLISHED).first()
    if published is not None:
        Acknowledgement.objects.get_or_create(
            person=person, version=published, defaults={"requested_at": timezone.now()}
        )
    _event(role=role, action=CharterEvent.Action.ASSIGNED, by=by, detail=str(person))
    return assignment


def _validated_items(section: str, rows: Sequence[Mapping[str, Any]], version: CharterVersion) -> list:
    model = ITEM_MODELS[section]
    items, errors = [], []
    for position, row in enumerate(rows):
        values = {name: row[name] for name in ITEM_FIELDS[section] if name in row and row[name] is not None}
        item = model(version=version, position=position, **values)
        try:
            item.full_clean(exclude=["version"])
        except ValidationError as error:
            errors.extend(f"{model._meta.verbose_name} {position + 1}: {message}" for message in error.messages)
        items.append(item)
    if errors:
        raise ValidationError(errors)
    return items


def charter_time_share_errors(shares: Iterable[int]) -> list[str]:
    total = sum(shares)
    if total > MAX_TIME_SHARE:
        return [_("Focus areas add up to %(total)s%% of time; they can take at most 100%%.") % {"total": total}]
    return []


@transaction.atomic
def charter_draft_save(
    *,
    version: CharterVersion,
    by: AbstractBaseUser,
    purpose: str,
    focus_areas: Sequence[Mapping[str, Any]],
    deprioritized: Sequence[Mapping[str, Any]],
    metrics: Sequence[Mapping[str, Any]],
    support_items: Sequence[Mapping[str, Any]],
) -> CharterVersion:
    """Replaces a draft's purpose and items with the given ones, in the given order.

    A metric row that carries the `key` of a metric already in the draft stays the same metric (its
    readings follow it into the next versions); rows without one are new metrics. Raises ValidationError
    (a list of messages) and changes nothing if the version is not a draft or any row is invalid.
    """
    require(by, policy.can_manage_charters, message=policy.CHARTERS_DENIED)
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    sections = {
        "focus_areas": focus_areas,
        "deprioritized": deprioritized,
        "metrics": metrics,
        "support_items": support_items,
    }
    known_keys = set(version.metrics.values_list("key", flat=True))
    errors, new_items = [], {}
    for section, rows in sections.items():
        if section == "metrics":
            rows = [
                {**row, "key": row["key"]}
                if row.get("key") in known_keys
                else {key: value for key, value in row.items() if key != "key"}
                for row in rows
            ]
        try:
            new_items[section] = _validated_items(section, rows, version)
        except ValidationError as error:
            errors.extend(error.messages)
    errors.extend(charter_time_share_errors(item.time_share for item in new_items.get("focus_areas", [])))
    metric_keys = [item.key for item in new_items.get("metrics", [])]
    if len(metric_keys) != len(set(metric_keys)):
        errors.append(_("The same metric appears twice; keep one row per metric."))
    if errors:
        raise ValidationError(errors)
    version.purpose = purpose
    version.save(update_fields=["purpose", "updated_at"])
    for section, model in ITEM_MODELS.items():
        model.objects.filter(version=version).delete()
        model.objects.bulk_create(new_items[section])
    counts = ", ".join(
        f"{len(new_items[section])} {ITEM_MODELS[section]._meta.verbose_name_plural}" for section in ITEM_MODELS
    )
    _event(
        role=version.role,
        action=CharterEvent.Action.DRAFT_EDITED,
        by=by,
        version=version,
        detail=f"v{version.number}: {counts}",
    )
    return version


def charter_publish_errors(version: CharterVersion) -> list[str]:
    """Why `version` cannot be published yet; empty when it can."""
    errors = []
    if not version.is_draft:
        errors.append(_("Only a draft can be published."))
    if not version.purpose.strip():
        errors.append(_("Write the role's purpose."))
    shares = list(version.focus_areas.values_list("time_share", flat=True))
    if not shares:
        errors.append(_("Add at least one focus area."))
    errors.extend(charter_time_share_errors(shares))
    if not version.metrics.exists():
        errors.append(_("Add at least one success metric, so the role knows what success looks like."))
    return errors


@transaction.atomic
def charter_publish(*, version: CharterVersion, by: AbstractBaseUser) -> CharterVersion:
    """Freezes a draft as the role's published charter, retires the previous one, resets the review
    clock, and asks every current holder of the role to acknowledge it (withdrawing any request still
    open for an older version).

    Raises ValidationError with every reason it cannot be published, and then changes nothing.
    """
    require(by, policy.can_manage_charters, message=policy.CHARTERS_DENIED)
    version = CharterVersion.objects.select_for_update().select_related("role").get(pk=version.pk)
    errors = charter_publish_errors(version)
    if errors:
        raise ValidationError(errors)
    role, now = version.role, timezone.now()
    # A request to acknowledge an older version is superseded by the request for this one.
    Acknowledgement.objects.filter(version__role=role, acknowledged_at__isnull=True).delete()
    role.versions.filter(status=CharterVersion.Status.PUBLISHED).update(
        status=CharterVersion.Status.RETIRED, updated_at=now
    )
    version.status, version.published_at, version.published_by = CharterVersion.Status.PUBLISHED, now, by
    version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    _mark_reviewed(role, timezone.localdate())
    holders = RoleAssignment.objects.current().filter(role=role).values_list("person", flat=True)
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(person_id=person_id, version=version, requested_at=now) for person_id in holders]
    )
    _event(role=role, action=CharterEvent.Action.PUBLISHED, by=by, version=version, detail=f"v{version.number}")
    signals.charter_published.send(sender=CharterVersion, version=version, by=by)
    return version


def _mark_reviewed(role: Role, on: datetime.date) -> None:
    role.last_reviewed_on = on
    role.next_review_on = on + relativedelta(months=role.review_cadence_months)
    role.save(update_fields=["last_reviewed_on", "next_review_on", "updated_at"])


@transaction.atomic
def charter_mark_reviewed(*, role: Role, by: AbstractBaseUser) -> Role:
    """Records that a leader reviewed the published charter and found it still right."""
    require(by, policy.can_manage_charters, message=policy.CHARTERS_DENIED)
    if not role.versions.filter(status=CharterVersion.Status.PUBLISHED).exists():
        raise ValidationError(_("Publish a charter before marking it reviewed."))
    _mark_reviewed(role, timezone.localdate())
    _event(
        role=role,
        action=CharterEvent.Action.REVIEWED,
        by=by,
        detail=_("next review %(date)s") % {"date": date_format(role.next_review_on)},
    )
    return role


@transaction.atomic
def charter_draft_start(*, role: Role, by: AbstractBaseUser) -> CharterVersion:
    """Starts the next version as a copy of the published one (metrics keep their keys).

    Raises ValidationError if the role already has a draft or nothing is published to copy.
    """
    require(by, policy.can_manage_charters, message=policy.CHARTERS_DENIED)
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.versions.filter(status=CharterVersion.Status.DRAFT).exists():
        raise ValidationError(_("This role already has a draft; edit that one."))
    published = role.versions.filter(status=CharterVersion.Status.PUBLISHED).first()
    if published is None:
        raise ValidationError(_("There is no published version to start from."))
    number = (role.versions.aggregate(Max("number"))["number__max"] or 0) + 1
    draft = CharterVersion.objects.create(role=role, number=number, purpose=published.purpose, created_by=by)
    for section, model in ITEM_MODELS.items():
        model.objects.bulk_create(
            model(version=draft, position=item.position, **{name: getattr(item, name) for name in ITEM_FIELDS[section]})
            for item in getattr(published, section).all()
        )
    _event(
        role=role,
        action=CharterEvent.Action.DRAFT_STARTED,
        by=by,
        version=draft,
        detail=f"v{number} from v{published.number}",
    )
    return draft


@transaction.atomic
def charter_acknowledge(
    *,
    acknowledgement: Acknowledgement,
    by: AbstractBaseUser,
    clarity_focus: int,
    clarity_deprioritize: int,
    clarity_success: int,
    question: str = "",
    support_ratings: Mapping[int, RatingInput] | None = None,
) -> Acknowledgement:
    """Records the holder's acknowledgement with their three clarity ratings (1-5) and optional question,
    and, when given, their rating of each support item of the charter (`support_ratings_record`, in the
    same transaction).

    Only the person asked may acknowledge (PermissionDenied otherwise), only once, and only the version
    that is still published (ValidationError otherwise, or when a support rating is refused; then nothing
    is written).
    """
    acknowledgement = (
        Acknowledgement.objects.select_for_update().select_related("version__role", "person").get(pk=acknowledgement.pk)
    )
    require(by, policy.is_person_asked, acknowledgement, message=policy.ACKNOWLEDGE_DENIED)
    if not acknowledgement.is_pending:
        raise ValidationError(_("You already acknowledged this version."))
    if acknowledgement.version.status != CharterVersion.Status.PUBLISHED:
        raise ValidationError(_("A newer version has been published; acknowledge that one instead."))
    holds_role = (
        RoleAssignment.objects.current()
        .filter(person=acknowledgement.person, role=acknowledgement.version.role)
        .exists()
    )
    if not holds_role:
        raise ValidationError(_("You no longer hold this role."))
    acknowledgement.acknowledged_at = timezone.now()
    acknowledgement.clarity_focus = clarity_focus
    acknowledgement.clarity_deprioritize = clarity_deprioritize
    acknowledgement.clarity_success = clarity_success
    acknowledgement.question = question.strip()
    acknowledgement.full_clean()
    acknowledgement.save(
        update_fields=[
            "acknowledged_at",
            "clarity_focus",
            "clarity_deprioritize",
            "clarity_success",
            "question",
            "updated_at",
        ]
    )
    version = acknowledgement.version
    _event(
        role=version.role,
        action=CharterEvent.Action.ACKNOWLEDGED,
        by=by,
        version=version,
        detail=f"v{version.number} — {clarity_focus}/{clarity_deprioritize}/{clarity_success}",
    )
    if support_ratings:
        support_ratings_record(
            person=acknowledgement.person,
            ratings=support_ratings,
            by=by,
            occasion=SupportRating.Occasion.ACKNOWLEDGEMENT,
        )
    signals.charter_acknowledged.send(sender=Acknowledgement, acknowledgement=acknowledgement, by=by)
    return acknowledgement


@transaction.atomic
def acknowledgement_answer(*, acknowledgement: Acknowledgement, answer: str, by: AbstractBaseUser) -> Acknowledgement:
    """A leader's answer to the question a holder asked with their acknowledgement (may be revised), by a
    sales leader above the person who asked (PermissionDenied otherwise)."""
    acknowledgement = (
        Acknowledgement.objects.select_for_update().select_related("version__role", "person").get(pk=acknowledgement.pk)
    )
    require(by, policy.can_answer, acknowledgement, message=policy.ANSWER_DENIED)
    if not acknowledgement.question:
        raise ValidationError(_("There is no question to answer."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write an answer.")})
    acknowledgement.answer, acknowledgement.answered_by, acknowledgement.answered_at = (
        answer.strip(),
        by,
        timezone.now(),
    )
    acknowledgement.save(update_fields=["answer", "answered_by", "answered_at", "updated_at"])
    _event(
        role=acknowledgement.version.role,
        action=CharterEvent.Action.ANSWERED,
        by=by,
        version=acknowledgement.version,
        detail=str(acknowledgement.person),
    )
    _sweep_on_commit(ANSWERED_KIND)
    return acknowledgement


@transaction.atomic
def charter_remind(*, acknowledgement: Acknowledgement, by: AbstractBaseUser) -> Acknowledgement:
    """A leader's Remind for one holder who has not acknowledged: records it and has the reminders machinery
    send `charter.acknowledgement_leader_reminder` (email and inbox, under the holder's preferences) once.

    By a sales leader above the holder (PermissionDenied otherwise). Raises ValidationError, changing
    nothing, for the reasons in `policy.leader_remind_error`, among them a second Remind within the window.
    """
    acknowledgement = (
        Acknowledgement.objects.select_for_update(of=("self",))
        .select_related("version__role", "person__user")
        .get(pk=acknowledgement.pk)
    )
    require(by, policy.can_remind, acknowledgement, message=policy.REMIND_DENIED)
    now = timezone.now()
    error = policy.leader_remind_error(acknowledgement, now)
    if error:
        raise ValidationError(error)
    acknowledgement.reminded_at, acknowledgement.reminded_by = now, by
    acknowledgement.remind_count += 1
    acknowledgement.save(update_fields=["reminded_at", "reminded_by", "remind_count", "updated_at"])
    _event(
        role=acknowledgement.version.role,
        action=CharterEvent.Action.REMINDED,
        by=by,
        version=acknowledgement.version,
        detail=str(acknowledgement.person),
    )
    _sweep_on_commit(LEADER_REMIND_KIND)
    return acknowledgement
