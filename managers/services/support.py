"""Every write to support: ratings of a charter's support items, and support requests (raise, respond,
resolve or decline, confirm the fix, comment). Each runs in one transaction and validates first."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.accounts.policy import require
from enablement.models import Person
from managers import policy, support_events
from managers.models import (
    CharterVersion,
    RoleAssignment,
    SuccessMetric,
    SupportFunction,
    SupportItem,
    SupportRating,
    SupportRequest,
    SupportRequestEntry,
)
from managers.periods import period_start


@dataclass(frozen=True)
class RatingInput:
    score: int
    note: str = ""


def support_quarter(day: datetime.date) -> datetime.date:
    """The quarter a rating given on `day` is for (its first day)."""
    return period_start(day, SuccessMetric.Cadence.QUARTERLY)


def current_support_items(person: Person) -> list[SupportItem]:
    """The support items of the published charter of the role `person` holds now (none without one)."""
    assignment = RoleAssignment.objects.filter(person=person, ended_on__isnull=True).first()
    if assignment is None:
        return []
    return list(
        SupportItem.objects.filter(
            version__role_id=assignment.role_id, version__status=CharterVersion.Status.PUBLISHED
        ).select_related("version")
    )


@transaction.atomic
def support_ratings_record(
    *,
    person: Person,
    ratings: Mapping[int, RatingInput],
    by: AbstractBaseUser,
    occasion: str = SupportRating.Occasion.QUARTERLY,
    today: datetime.date | None = None,
) -> list[SupportRating]:
    """Records the person's rating (1-5, optional note) of every support item of the charter they hold
    now, keyed by item id, for the current quarter; rating again within the quarter corrects it, and the
    same score and note again changes nothing.

    Only the person rates their own support (PermissionDenied otherwise, `policy.rates_own_support`). Raises
    ValidationError when they hold no role with a published charter that names support, when an item is not
    in that charter or one is left out, or when a score is not 1-5; then nothing is written.
    """
    require(by, policy.rates_own_support, person, message=policy.RATE_SUPPORT_DENIED)
    items = {item.pk: item for item in current_support_items(person)}
    if not items:
        raise ValidationError(_("Your current charter names no support to rate."))
    unknown = sorted(set(ratings) - set(items))
    if unknown:
        raise ValidationError(
            {
                "support_ratings": _("Not a support item of your current charter: %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))}
            }
        )
    missing = [items[pk].name for pk in items if pk not in ratings]
    if missing:
        raise ValidationError(
            {"support_ratings": _("Rate every support item; missing: %(names)s.") % {"names": ", ".join(missing)}}
        )
    quarter = support_quarter(today or timezone.localdate())
    stored = {
        rating.item_id: rating
        for rating in SupportRating.objects.filter(person=person, quarter=quarter, item__in=items)
    }
    saved = []
    for pk, item in items.items():
        given = ratings[pk]
        rating = stored.get(pk) or SupportRating(person=person, item=item, quarter=quarter)
        if rating.pk and (rating.score, rating.note) == (given.score, given.note.strip()):
            saved.append(rating)
            continue
        rating.role_id, rating.item_kind, rating.item_name = item.version.role_id, item.kind, item.name
        rating.score, rating.note, rating.occasion = given.score, given.note.strip(), occasion
        rating.full_clean()
        rating.save()
        saved.append(rating)
    return saved


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """`start` moved on by `days` working days (Monday to Friday, in the platform's time zone), at the same
    time of day: a request raised on Friday at 10:00 with 5 days is due the next Friday at 10:00."""
    moment = timezone.localtime(start)
    added = 0
    while added < days:
        moment += datetime.timedelta(days=1)
        if moment.weekday() < WORKING_WEEKDAYS:
            added += 1
    return moment


WORKING_WEEKDAYS = 5  # Monday (0) to Friday (4)


def _entry(request: SupportRequest, author: Person, event: str, body: str = "") -> SupportRequestEntry:
    return SupportRequestEntry.objects.create(request=request, author=author, event=event, body=body.strip())


def _person_of(by: AbstractBaseUser) -> Person:
    person = Person.objects.filter(user=by).first() if by and by.pk else None
    if person is None:
        raise ValidationError(_("Support requests are raised and answered by people in the org."))
    return person


def _resolve_owner(*, raised_by: Person, owner: Person | None, function: SupportFunction | None) -> Person:
    if (owner is None) == (function is None):
        raise ValidationError({"owner": _("Choose who owns it: a function, or a person.")})
    if function is not None:
        if not function.is_active:
            raise ValidationError({"function": _("%(function)s no longer takes requests.") % {"function": function}})
        owner = function.owner
    if owner.is_terminated or owner.user_id is None or not owner.user.is_active:
        raise ValidationError(
            {"owner": _("%(owner)s cannot answer requests here (no active sign-in).") % {"owner": owner}}
        )
    if owner.pk == raised_by.pk:
        raise ValidationError({"owner": _("Raise it to someone else: you cannot own your own request.")})
    return owner


@transaction.atomic
def support_request_raise(
    *,
    by: AbstractBaseUser,
    title: str,
    kind: str,
    description: str = "",
    owner: Person | None = None,
    function: SupportFunction | None = None,
    support_item: SupportItem | None = None,
) -> SupportRequest:
    """Raises a support request for the person signed in as `by`, owned by `owner` or by the named owner of
    `function` (exactly one of them), due for a first response SUPPORT_REQUEST_FIRST_RESPONSE_WORKING_DAYS
    working days from now. The support item, if named, must be in the raiser's current charter. Emits
    `support_request.opened`; the owner's reminder follows from the next sweep (queued when this commits).

    Raises PermissionDenied unless `by` may raise requests (`policy.can_raise_support_requests`: managers and
    leaders), ValidationError (by field) for anything else, and then writes nothing.
    """
    require(by, policy.can_raise_support_requests, message=policy.RAISE_SUPPORT_DENIED)
    raised_by = _person_of(by)
    owner = _resolve_owner(raised_by=raised_by, owner=owner, function=function)
    if support_item is not None and support_item.pk not in {item.pk for item in current_support_items(raised_by)}:
        raise ValidationError({"support_item": _("That is not support your current charter names.")})
    now = timezone.now()
    request = SupportRequest(
        raised_by=raised_by,
        owner=owner,
        function=function,
        support_item=support_item,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        first_response_due_at=add_working_days(now, settings.SUPPORT_REQUEST_FIRST_RESPONSE_WORKING_DAYS),
    )
    request.full_clean()
    request.save()
    _entry(request, raised_by, SupportRequestEntry.Event.RAISED)
    support_events.support_request_opened(request)
    _sweep_on_commit(RAISED_KIND)
    return request


# The owner's moves: from each state, where they may take the request.
TRANSITIONS = {
    SupportRequest.State.OPEN: {
        SupportRequest.State.ACKNOWLEDGED,
        SupportRequest.State.IN_PROGRESS,
        SupportRequest.State.RESOLVED,
        SupportRequest.State.DECLINED,
    },
    SupportRequest.State.ACKNOWLEDGED: {
        SupportRequest.State.IN_PROGRESS,
        SupportRequest.State.RESOLVED,
        SupportRequest.State.DECLINED,
    },
    SupportRequest.State.IN_PROGRESS: {SupportRequest.State.RESOLVED, SupportRequest.State.DECLINED},
    SupportRequest.State.RESOLVED: set(),
    SupportRequest.State.DECLINED: set(),
}


def _locked(request: SupportRequest) -> SupportRequest:
    return (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("raised_by", "owner", "function", "support_item")
        .get(pk=request.pk)
    )


@transaction.atomic
def support_request_transition(
    *, request: SupportRequest, by: AbstractBaseUser, state: str, note: str = ""
) -> SupportRequest:
    """The owner moves the request on: acknowledged, in progress, resolved (with an optional note on what was
    done) or declined (with the reason, required). Any move is the first response if none came before.
    Resolving emits `support_request.resolved` and asks the raiser whether it fixed the problem.

    Raises PermissionDenied for anyone but the owner (`policy.owns_support_request`), ValidationError for a
    move TRANSITIONS does not allow or a decline without a reason.
    """
    request = _locked(request)
    require(by, policy.owns_support_request, request, message=policy.MOVE_SUPPORT_DENIED)
    person = request.owner
    if state not in TRANSITIONS[request.state]:
        target = SupportRequest.State(state).label if state in SupportRequest.State.values else state
        current = request.get_state_display()
        message = _("A request that is %(current)s cannot become %(state)s.")
        raise ValidationError({"state": message % {"current": current.lower(), "state": str(target).lower()}})
    note = note.strip()
    if state == SupportRequest.State.DECLINED and not note:
        raise ValidationError({"note": _("Say why you decline it: the raiser and their leader read it.")})
    now = timezone.now()
    request.state = state
    request.first_response_at = request.first_response_at or now
    fields = ["state", "first_response_at", "updated_at"]
    if state in (SupportRequest.State.RESOLVED, SupportRequest.State.DECLINED):
        request.resolved_at, request.resolution = now, note
        fields += ["resolved_at", "resolution"]
    request.full_clean()
    request.save(update_fields=fields)
    _entry(request, person, state, note)
    if state == SupportRequest.State.RESOLVED:
        support_events.support_request_resolved(request)
        _sweep_on_commit(CONFIRM_KIND)
    return request


@transaction.atomic
def support_request_confirm(
    *, request: SupportRequest, by: AbstractBaseUser, fixed: bool, note: str = ""
) -> SupportRequest:
    """The raiser answers "did this fix it?" for a resolved request: yes closes it; no reopens it (open again,
    owned by the same owner, who is told) and emits `support_request.opened` with the new reopen count.

    Raises PermissionDenied for anyone but the raiser (`policy.raised_support_request`), ValidationError for
    a request that is not resolved and unconfirmed.
    """
    request = _locked(request)
    require(by, policy.raised_support_request, request, message=policy.CONFIRM_SUPPORT_DENIED)
    person = request.raised_by
    if not request.awaits_confirmation:
        raise ValidationError(_("Only a resolved request waiting for your answer can be confirmed or reopened."))
    if fixed:
        request.confirmed_fixed_at = timezone.now()
        request.save(update_fields=["confirmed_fixed_at", "updated_at"])
        _entry(request, person, SupportRequestEntry.Event.FIXED, note)
        return request
    request.state, request.resolved_at, request.reopen_count = SupportRequest.State.OPEN, None, request.reopen_count + 1
    request.save(update_fields=["state", "resolved_at", "reopen_count", "updated_at"])
    _entry(request, person, SupportRequestEntry.Event.NOT_FIXED, note)
    support_events.support_request_opened(request)
    _sweep_on_commit(RAISED_KIND)
    return request


@transaction.atomic
def support_request_comment(*, request: SupportRequest, by: AbstractBaseUser, body: str) -> SupportRequestEntry:
    """Adds a comment to the thread. The owner's first comment is their first response.

    Raises PermissionDenied unless `by` is the raiser, the owner or a leader above either
    (`policy.can_comment_on_support_request`; an HR admin only reads), ValidationError for an empty comment.
    """
    require(by, policy.can_comment_on_support_request, request, message=policy.COMMENT_SUPPORT_DENIED)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    request = _locked(request)
    person = _person_of(by)
    if person.pk == request.owner_id and request.first_response_at is None:
        request.first_response_at = timezone.now()
        request.save(update_fields=["first_response_at", "updated_at"])
    else:
        # The request changed for anyone syncing it: its thread did.
        request.save(update_fields=["updated_at"])
    return _entry(request, person, SupportRequestEntry.Event.COMMENT, body)


RAISED_KIND = "support.request_raised"
CONFIRM_KIND = "support.request_confirm"


def _sweep_on_commit(kind_name: str) -> None:
    """Runs the kind's reminder sweep as soon as this commits, rather than at its next beat: the owner hears of
    a request when it is raised. The sweep's unique key keeps it to one reminder however often it runs."""
    from enablement.notifications.tasks import sweep_reminders_task

    transaction.on_commit(lambda: sweep_reminders_task.delay(kind_name), robust=True)
