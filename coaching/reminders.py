"""The reminders coaching needs, registered with `enablement.notifications` from `CoachingConfig.ready()`:

- the assignee of an open task is reminded when it is due within COACHING_TASK_DUE_SOON_DAYS (not
  today), on the day it is due, and once it is overdue;
- COACHING_TASK_ESCALATE_AFTER_DAYS after the due date the plan's coach is told, unless the coach is
  the assignee (the overdue reminder told them already).

Only open tasks (to do, in progress) of active plans count, and only recipients with an active login.
Each kind reminds once per task and due date (the occasion is the due date, as YYYY-MM-DD), so a task
moved to a new date is reminded again for it. A reminder closes once its task is done or cancelled, its
plan is no longer active, or the task has moved past what the reminder was about: a due-soon reminder
once the task is due today, a due-today one once it is overdue (the next kind takes over), an overdue
one and an escalation once the task was moved to a date not yet passed.

When someone with open coaching work leaves, the person it is flagged for (`LeaverHandover.flag_for`:
the `escalate_to` of the `person_terminated` signal, their manager's manager, or whoever took over their
plans when there is none) is told once what happened to it: how many plans they coached now have which
coach, with how many open tasks, and how many of their own plans were archived
(`coaching.leaver_work_flagged`, one per `LeaverHandover`). It stays open for RECENTLY_LEFT_DAYS, as long
as the leader's page lists it, and links to the page `coaching.policy` opens to the recipient.

Each task sweep is one query whatever the number of tasks (plus the content type lookup, cached); the
leaver sweep is one query plus the policy's few questions per recipient, once per leaver.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, Func, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coaching import policy
from coaching.models import OPEN_TASK_STATES, CoachingPlan, CoachingTask, LeaverHandover
from coaching.selectors.leavers import recently_left_since
from enablement.models import Person, Reminder
from enablement.notifications.registry import ReminderDraft, ReminderKind, not_yet_reminded

TASK_DUE_SOON = "coaching.task_due_soon"
TASK_DUE_TODAY = "coaching.task_due_today"
TASK_OVERDUE = "coaching.task_overdue"
TASK_OVERDUE_ESCALATION = "coaching.task_overdue_escalation"
LEAVER_WORK_FLAGGED = "coaching.leaver_work_flagged"


def due_soon_days() -> int:
    return getattr(settings, "COACHING_TASK_DUE_SOON_DAYS", 3)


def escalate_after_days() -> int:
    return getattr(settings, "COACHING_TASK_ESCALATE_AFTER_DAYS", 3)


def _occasion(due_on: datetime.date) -> str:
    return due_on.isoformat()


class _IsoDate(Func):
    """A date column as YYYY-MM-DD text, the way `_occasion` writes it. SQLite stores dates as that text
    already; PostgreSQL formats it explicitly (a plain cast would follow the server's DateStyle)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS text)", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra_context)


def _open_tasks() -> QuerySet[CoachingTask]:
    return CoachingTask.objects.filter(state__in=OPEN_TASK_STATES, plan__state=CoachingPlan.State.ACTIVE)


def _to_remind(tasks: QuerySet[CoachingTask], kind_name: str) -> QuerySet[CoachingTask]:
    """`tasks` without those already reminded of by this kind for their current due date, loaded with
    what the messages name. Like `not_yet_reminded`, but per due date: a rescheduled task comes back."""
    reminded = Reminder.objects.filter(
        kind=kind_name,
        target_type=ContentType.objects.get_for_model(CoachingTask),
        target_id=OuterRef("pk"),
        occasion=_IsoDate(OuterRef("due_on")),
    )
    return tasks.exclude(Exists(reminded)).select_related("plan__coachee", "plan__coach", "assignee").order_by()


def _for_assignees(tasks: QuerySet[CoachingTask], kind_name: str) -> QuerySet[CoachingTask]:
    return _to_remind(tasks.filter(assignee__user__is_active=True), kind_name)


def _plan_url(task: CoachingTask) -> str:
    return reverse("coaching:plan-detail", args=[task.plan_id])


def _whose(task: CoachingTask) -> str:
    """Which plan, as the assignee reads it: their own, or the coachee's when they are the coach."""
    if task.assignee_id == task.plan.coachee_id:
        return _("your development plan with %(coach)s") % {"coach": task.plan.coach}
    return _("the development plan of %(coachee)s") % {"coachee": task.plan.coachee}


def _draft(task: CoachingTask, *, recipient_id: int, subject: str, message: str) -> ReminderDraft:
    return ReminderDraft(
        target=CoachingTask,
        target_id=task.pk,
        recipient_id=recipient_id,
        occasion=_occasion(task.due_on),
        subject=subject,
        message=message,
        url=_plan_url(task),
    )


def _today(now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now)


def task_due_soon_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    today = _today(now)
    tasks = _open_tasks().filter(due_on__gt=today, due_on__lte=today + datetime.timedelta(days=due_soon_days()))
    return [
        _draft(
            task,
            recipient_id=task.assignee_id,
            subject=_("Coaching task due %(date)s: %(task)s") % {"date": task.due_on, "task": task.title},
            message=_(
                '"%(task)s", from %(plan)s, is due on %(date)s. Mark it done once it is, or agree a new date '
                "in your next 1:1."
            )
            % {"task": task.title, "plan": _whose(task), "date": task.due_on},
        )
        for task in _for_assignees(tasks, TASK_DUE_SOON)
    ]


def task_due_today_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    tasks = _open_tasks().filter(due_on=_today(now))
    return [
        _draft(
            task,
            recipient_id=task.assignee_id,
            subject=_("Coaching task due today: %(task)s") % {"task": task.title},
            message=_('"%(task)s", from %(plan)s, is due today. Mark it done once it is.')
            % {"task": task.title, "plan": _whose(task)},
        )
        for task in _for_assignees(tasks, TASK_DUE_TODAY)
    ]


def task_overdue_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    tasks = _open_tasks().filter(due_on__lt=_today(now))
    return [
        _draft(
            task,
            recipient_id=task.assignee_id,
            subject=_("Coaching task overdue: %(task)s") % {"task": task.title},
            message=_(
                '"%(task)s", from %(plan)s, was due on %(date)s. Do it, mark it done, or agree a new date '
                "in your next 1:1."
            )
            % {"task": task.title, "plan": _whose(task), "date": task.due_on},
        )
        for task in _for_assignees(tasks, TASK_OVERDUE)
    ]


def task_overdue_escalations(now: datetime.datetime) -> list[ReminderDraft]:
    cutoff = _today(now) - datetime.timedelta(days=escalate_after_days())
    tasks = (
        _open_tasks().filter(due_on__lte=cutoff, plan__coach__user__is_active=True).exclude(plan__coach=F("assignee"))
    )
    return [
        _draft(
            task,
            recipient_id=task.plan.coach_id,
            subject=_("Overdue coaching task: %(person)s, %(task)s") % {"person": task.assignee, "task": task.title},
            message=_(
                '%(person)s has not finished "%(task)s" from the development plan you coach (%(plan)s), due on '
                "%(date)s. A word in your next 1:1 helps."
            )
            % {"person": task.assignee, "task": task.title, "plan": task.plan.title, "date": task.due_on},
        )
        for task in _to_remind(tasks, TASK_OVERDUE_ESCALATION)
    ]


def _still(ids: set[int], **due) -> set[int]:
    return set(_open_tasks().filter(pk__in=ids, **due).values_list("pk", flat=True))


def tasks_still_coming_up(ids: set[int]) -> set[int]:
    """Open tasks of active plans not yet due: what a due-soon reminder is about."""
    return _still(ids, due_on__gt=timezone.localdate())


def tasks_still_due(ids: set[int]) -> set[int]:
    """Open tasks of active plans due today or later: what a due-today reminder is about."""
    return _still(ids, due_on__gte=timezone.localdate())


def tasks_still_overdue(ids: set[int]) -> set[int]:
    """Open tasks of active plans whose due date has passed: what overdue reminders and escalations are about."""
    return _still(ids, due_on__lt=timezone.localdate())


def _flags_to_send(now: datetime.datetime) -> QuerySet[LeaverHandover]:
    """Recent handovers not yet flagged, for recipients with an active login."""
    recent = LeaverHandover.objects.filter(created_at__gte=recently_left_since(now), flag_for__user__is_active=True)
    return (
        not_yet_reminded(recent, LEAVER_WORK_FLAGGED).select_related("leaver", "successor", "flag_for__user").order_by()
    )


def _flag_url(handover: LeaverHandover) -> str:
    """The page where the recipient sees the plans, as the navigation offers it to them: the gap heatmap
    (`policy.can_see_heatmap`), else Coaching (`policy.coaches_anyone`), else My development."""
    recipient = handover.flag_for.user
    if policy.can_see_heatmap(recipient):
        return reverse("coaching:heatmap")
    if policy.coaches_anyone(recipient):
        return reverse("coaching:team")
    return reverse("coaching:my-development")


def leaver_work_summary(handover: LeaverHandover, *, reader: Person | None = None) -> str:
    """What happened to the leaver's open coaching work, in one sentence (the successor is "you" to them)."""
    parts = []
    if handover.plans_handed_over:
        coach = _("you") if reader is not None and handover.successor_id == reader.pk else str(handover.successor)
        plans = ngettext(
            "%(count)s coaching plan they led now has %(coach)s as coach",
            "%(count)s coaching plans they led now have %(coach)s as coach",
            handover.plans_handed_over,
        ) % {"count": handover.plans_handed_over, "coach": coach}
        tasks = ngettext("%(count)s open task", "%(count)s open tasks", handover.open_tasks) % {
            "count": handover.open_tasks
        }
        parts.append(f"{plans} ({tasks})")
    if handover.own_plans_archived:
        parts.append(
            ngettext(
                "%(count)s plan of their own was archived",
                "%(count)s plans of their own were archived",
                handover.own_plans_archived,
            )
            % {"count": handover.own_plans_archived}
        )
    return _("%(leaver)s left: %(what)s") % {"leaver": handover.leaver, "what": "; ".join(parts)}


def _flag(handover: LeaverHandover) -> ReminderDraft:
    summary = leaver_work_summary(handover, reader=handover.flag_for)
    return ReminderDraft(
        target=LeaverHandover,
        target_id=handover.pk,
        recipient_id=handover.flag_for_id,
        occasion="left",
        subject=summary,
        message=_(
            "%(summary)s. Their open coaching work is flagged for you: check that each coachee still has someone "
            "to meet for their 1:1s, and look over the plans on the linked page."
        )
        % {"summary": summary},
        url=_flag_url(handover),
    )


def leaver_work_flags(now: datetime.datetime) -> list[ReminderDraft]:
    return [_flag(handover) for handover in _flags_to_send(now)]


def leaver_flags_still_open(ids: set[int]) -> set[int]:
    """Recent handovers flagged for someone still employed: the flag stays in their inbox until read."""
    return set(
        LeaverHandover.objects.filter(pk__in=ids, created_at__gte=recently_left_since())
        .exclude(flag_for__employment_status=Person.EmploymentStatus.TERMINATED)
        .values_list("pk", flat=True)
    )


COACHING_REMINDER_KINDS = (
    ReminderKind(
        TASK_DUE_SOON,
        gettext_lazy("Coaching task due soon"),
        task_due_soon_reminders,
        tasks_still_coming_up,
        sweep_every_minutes=60,
    ),
    ReminderKind(
        TASK_DUE_TODAY,
        gettext_lazy("Coaching task due today"),
        task_due_today_reminders,
        tasks_still_due,
        sweep_every_minutes=60,
    ),
    ReminderKind(
        TASK_OVERDUE,
        gettext_lazy("Coaching task overdue"),
        task_overdue_reminders,
        tasks_still_overdue,
        sweep_every_minutes=60,
    ),
    ReminderKind(
        TASK_OVERDUE_ESCALATION,
        gettext_lazy("A coaching task you coach is overdue"),
        task_overdue_escalations,
        tasks_still_overdue,
        sweep_every_minutes=60,
    ),
    ReminderKind(
        LEAVER_WORK_FLAGGED,
        gettext_lazy("Someone below you left: their coaching work was handed on"),
        leaver_work_flags,
        leaver_flags_still_open,
    ),
)
