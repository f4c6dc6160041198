"""The coaching API: assessments, plans, goals, tasks and 1:1 sessions, with the permissions of the pages.
Every queryset is scoped by `coaching.policy`, so what a user may not see is a 404; a visible object the
user may not change is a 403; every change goes through a service, whose ValidationError becomes a 400.

Machine clients: until API tokens for machine clients exist, an HR or learning system is modelled as
a credential with the `coaching:write` scope on a superuser (service) account. Such an account sees
every plan and assessment, records assessments of anyone and completes any task; it starts no plans,
which are started by people for the people below them."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from coaching import policy
from coaching.api import serializers
from coaching.models import Assessment, AssessmentRating, CoachingPlan, CoachingSession, CoachingTask, Goal
from coaching.selectors.plans import with_progress
from coaching.services.assessments import assessment_record
from coaching.services.plans import (
    goal_update,
    plan_activate,
    plan_archive,
    plan_complete,
    plan_create,
    plan_start_from_gaps,
    session_record,
    task_add,
    task_complete,
    task_update,
)
from enablement.accounts import policy as org_policy
from enablement.api.base import ServiceViewSet
from enablement.api.parsers import JSONParser
from enablement.api.query_params import choice_param, date_param, id_param
from enablement.models import Person

COACHING_SCOPES = {"read": "coaching:read", "write": "coaching:write"}
# What a coachee changes on their own goal: its progress. The rest belongs to whoever manages the plan.
GOAL_PROGRESS_FIELDS = frozenset({"state", "note"})
PLAN_MANAGERS_ONLY = _("A plan is changed by its coach or a leader above the coachee.")
PLAN_PARAMETER = OpenApiParameter("plan", int, description=_("Only those of this plan."))


def _visible_plan_ids(request: Request) -> QuerySet[CoachingPlan]:
    return policy.plans_visible_to(request.user).values("pk")


class CoachingViewSet(ServiceViewSet):
    required_scopes = COACHING_SCOPES
    parser_classes = [JSONParser]


# Assessments


def _assessments(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    ratings = AssessmentRating.objects.select_related("competency")
    return assessments.select_related("person", "assessor", "requested_by").prefetch_related(
        Prefetch("ratings", queryset=ratings)
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("person", int, description=_("Only the assessments of this person.")),
            OpenApiParameter(
                "source", str, enum=Assessment.Source.values, description=_("Only those from this source.")
            ),
        ]
    ),
    create=extend_schema(
        examples=[
            OpenApiExample(
                "A leader's assessment",
                request_only=True,
                value={
                    "person": 12,
                    "source": "leader",
                    "assessed_on": "2026-03-31",
                    "period_start": "2026-01-01",
                    "period_end": "2026-03-31",
                    "summary": "Coaching is now weekly; forecasting still by gut feel.",
                    "ratings": [
                        {"competency": "coaching", "level": "3", "evidence": "Weekly call reviews since January."},
                        {"competency": "data-driven-decisions", "level": "1.5", "evidence": ""},
                    ],
                },
            )
        ]
    ),
)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoachingViewSet):
    """A person's own assessments (not the hiring one, whose evidence names the interviewers) and those of
    everyone below the caller, with their ratings; `?person=<id>` and `?source=<source>` narrow the list.
    POST records a submitted assessment of someone below the caller (an HR or learning system: see the
    module docstring): 404 when the caller may not see the person, 403 when they may not assess them,
    400 with the field errors on a bad body, and nothing is written unless all of it is valid."""

    output_serializer_class = serializers.AssessmentSerializer
    input_serializer_classes = {"create": serializers.AssessmentInputSerializer}

    def get_queryset(self) -> QuerySet[Assessment]:
        assessments = _assessments(policy.assessments_visible_to(self.request.user))
        if self.action == "list":
            if (person := id_param(self.request, "person")) is not None:
                assessments = assessments.filter(person_id=person)
            if source := choice_param(self.request, "source", Assessment.Source.values):
                assessments = assessments.filter(source=source)
        return assessments

    def create(self, request: Request) -> Response:
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        person = get_object_or_404(org_policy.people_visible_to(request.user), pk=values.validated_data["person"])
        if not policy.can_assess(request.user, person):
            raise PermissionDenied(_("People are assessed by the leaders above them."))
        if values.validated_data["source"] not in policy.assessment_sources_for(request.user):
            raise ValidationError({"source": [_("You record your own view, as leader or peer; self-assessments "
                                                "are asked for, and filled in by the person.")]})  # fmt: skip
        assessment = assessment_record(person=person, by=request.user, **values.service_values())
        written = _assessments(Assessment.objects.filter(pk=assessment.pk)).get()
        return Response(self.output(written), status=status.HTTP_201_CREATED)


# Plans


def _plans(plans: QuerySet[CoachingPlan]) -> QuerySet[CoachingPlan]:
    # A query with GROUP BY drops the default ordering, and pagination needs one.
    return with_progress(plans.select_related("coachee", "coach")).order_by(*CoachingPlan._meta.ordering)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("coachee", int, description=_("Only the plans of this person.")),
            OpenApiParameter("state", str, enum=CoachingPlan.State.values, description=_("Only plans in this state.")),
        ]
    ),
    create=extend_schema(
        examples=[
            OpenApiExample(
                "From the coachee's gaps",
                request_only=True,
                value={"coachee": 12, "title": "Q3 development", "period_end": "2026-09-30", "from_gaps": True},
            )
        ]
    ),
)
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoachingViewSet):
    """Plans of the caller, of the people they coach and of everyone below them, with progress and counts;
    `?coachee=<id>` and `?state=<state>` narrow the list. POST starts a draft for someone below the caller,
    from scratch or, with `"from_gaps": true`, from their largest gaps. `activate/`, `complete/` and
    `archive/` move a plan on; they are for its coach and the leaders above the coachee."""

    output_serializer_class = serializers.PlanSerializer
    input_serializer_classes = {"create": serializers.PlanInputSerializer}

    def get_queryset(self) -> QuerySet[CoachingPlan]:
        plans = _plans(policy.plans_visible_to(self.request.user))
        if self.action == "list":
            if (coachee := id_param(self.request, "coachee")) is not None:
                plans = plans.filter(coachee_id=coachee)
            if state := choice_param(self.request, "state", CoachingPlan.State.values):
                plans = plans.filter(state=state)
        return plans

    def get_serializer(self, *args, **kwargs) -> BaseSerializer:
        if self.action == "create":
            kwargs["coachees"] = policy.people_coachable_by(self.request.user)
            kwargs["coaches"] = Person.objects.current()
            kwargs["default_coach"] = org_policy.person_for(self.request.user)
        return super().get_serializer(*args, **kwargs)

    def create(self, request: Request) -> Response:
        if not policy.people_coachable_by(request.user).exists():
            raise PermissionDenied(_("Plans are started by the coach or a leader, for the people below them."))
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        data = dict(values.validated_data)
        if not policy.coaches_for(request.user, data["coachee"]).filter(pk=data["coach"].pk).exists():
            raise ValidationError(
                {"coach": [_("The coach is you, a manager above the coachee or a manager below you.")]}
            )
        start = plan_start_from_gaps if data.pop("from_gaps") else plan_create
        plan = start(by=request.user, **data)
        return Response(self._written(plan), status=status.HTTP_201_CREATED)

    def _written(self, plan: CoachingPlan) -> dict:
        # Read back without the caller's scope: they just wrote it.
        return self.output(_plans(CoachingPlan.objects.filter(pk=plan.pk)).get())

    def _managed_plan(self) -> CoachingPlan:
        plan = self.get_object()
        if not policy.can_manage_plan(self.request.user, plan):
            raise PermissionDenied(PLAN_MANAGERS_ONLY)
        return plan

    @extend_schema(request=None, responses=serializers.PlanSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str | None = None) -> Response:
        """Makes a draft the coachee's active plan (400 while another plan of theirs is active)."""
        return Response(self._written(plan_activate(plan=self._managed_plan(), by=request.user)))

    @extend_schema(request=None, responses=serializers.PlanSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Completes an active plan; its open tasks are cancelled."""
        return Response(self._written(plan_complete(plan=self._managed_plan(), by=request.user)))

    @extend_schema(request=None, responses=serializers.PlanSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        """Puts a draft or a finished plan away; its open tasks are cancelled."""
        return Response(self._written(plan_archive(plan=self._managed_plan(), by=request.user)))


# Goals


@extend_schema_view(
    list=extend_schema(parameters=[PLAN_PARAMETER]),
    partial_update=extend_schema(
        examples=[
            OpenApiExample(
                "The coachee marks progress",
                request_only=True,
                value={"state": "achieved", "note": "Ran three call reviews with the team."},
            )
        ]
    ),
)
class GoalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoachingViewSet):
    """Goals of the plans the caller sees; `?plan=<id>` narrows the list. PATCH changes a goal: the coachee
    its progress (`state`, `note`), the coach and the leaders above the coachee any field."""

    output_serializer_class = serializers.GoalSerializer
    input_serializer_classes = {"partial_update": serializers.GoalUpdateInputSerializer}

    def get_queryset(self) -> QuerySet[Goal]:
        goals = Goal.objects.filter(plan__in=_visible_plan_ids(self.request)).select_related("plan", "competency")
        if self.action == "list" and (plan := id_param(self.request, "plan")) is not None:
            goals = goals.filter(plan_id=plan)
        return goals

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        goal = self.get_object()
        if not policy.can_update_goal(request.user, goal):
            raise PermissionDenied(PLAN_MANAGERS_ONLY)
        values = self.get_serializer(data=request.data, partial=True)
        values.is_valid(raise_exception=True)
        if set(values.validated_data) - GOAL_PROGRESS_FIELDS and not policy.can_manage_plan(request.user, goal.plan):
            raise PermissionDenied(_("You update your goal's state and progress note; the rest is up to your coach."))
        state = values.validated_data.get("state")
        if state is not None and not policy.can_set_goal_state(request.user, goal, state):
            raise PermissionDenied(_("A goal is dropped by the coach or a leader above you."))
        goal = goal_update(goal=goal, by=request.user, **values.validated_data)
        return Response(self.output(goal))


# Tasks


def _tasks(tasks: QuerySet[CoachingTask]) -> QuerySet[CoachingTask]:
    return tasks.select_related("plan", "assignee", "completed_by")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            PLAN_PARAMETER,
            OpenApiParameter("assignee", int, description=_("Only the tasks of this person.")),
            OpenApiParameter("state", str, enum=CoachingTask.State.values, description=_("Only tasks in this state.")),
            OpenApiParameter(
                "due_before", datetime.date, description=_("Only tasks due strictly before this day (YYYY-MM-DD).")
            ),
        ]
    ),
    create=extend_schema(
        examples=[
            OpenApiExample(
                "A practice task for the coachee",
                request_only=True,
                value={
                    "plan": 8,
                    "goal": 21,
                    "kind": "practice",
                    "title": "Review two recorded calls with the talk track",
                    "description": "Note one moment per call where the next step was not agreed.",
                    "due_on": "2026-07-15",
                },
            )
        ]
    ),
    partial_update=extend_schema(
        examples=[OpenApiExample("Reschedule", request_only=True, value={"due_on": "2026-07-29"})]
    ),
)
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoachingViewSet):
    """Tasks of the plans the caller sees; `?plan=<id>`, `?assignee=<person id>`, `?state=<state>` and
    `?due_before=<YYYY-MM-DD>` (due strictly before that day) narrow the list. POST adds a task to a plan
    the caller manages. `complete/` marks a task done, for its assignee, whoever manages its plan, and a
    learning system (see the module docstring); it is idempotent: a task done stays as it was done."""

    output_serializer_class = serializers.TaskSerializer
    input_serializer_classes = {
        "create": serializers.TaskInputSerializer,
        "partial_update": serializers.TaskUpdateInputSerializer,
    }

    def get_queryset(self) -> QuerySet[CoachingTask]:
        tasks = _tasks(CoachingTask.objects.filter(plan__in=_visible_plan_ids(self.request)))
        if self.action == "list":
            tasks = self._filtered(tasks)
        return tasks

    def _filtered(self, tasks: QuerySet[CoachingTask]) -> QuerySet[CoachingTask]:
        if (plan := id_param(self.request, "plan")) is not None:
            tasks = tasks.filter(plan_id=plan)
        if (assignee := id_param(self.request, "assignee")) is not None:
            tasks = tasks.filter(assignee_id=assignee)
        if state := choice_param(self.request, "state", CoachingTask.State.values):
            tasks = tasks.filter(state=state)
        if (due_before := date_param(self.request, "due_before")) is not None:
            tasks = tasks.filter(due_on__lt=due_before)
        return tasks

    def get_serializer(self, *args, **kwargs) -> BaseSerializer:
        if self.action == "create":
            kwargs["plans"] = policy.plans_visible_to(self.request.user)
            kwargs["goals"] = Goal.objects.filter(plan__in=_visible_plan_ids(self.request))
        return super().get_serializer(*args, **kwargs)

    def create(self, request: Request) -> Response:
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        if not policy.can_manage_plan(request.user, values.validated_data["plan"]):
            raise PermissionDenied(PLAN_MANAGERS_ONLY)
        task = task_add(by=request.user, **values.validated_data)
        return Response(
            self.output(_tasks(CoachingTask.objects.filter(pk=task.pk)).get()), status=status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Reschedules, renames or reassigns an open task; for whoever manages the plan."""
        task = self.get_object()
        if not policy.can_manage_plan(request.user, task.plan):
            raise PermissionDenied(PLAN_MANAGERS_ONLY)
        values = self.get_serializer(
            data=request.data, partial=True, context={**self.get_serializer_context(), "task": task}
        )
        values.is_valid(raise_exception=True)
        task = task_update(task=task, by=request.user, **values.validated_data)
        return Response(self.output(_tasks(CoachingTask.objects.filter(pk=task.pk)).get()))

    @extend_schema(request=None, responses=serializers.TaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        if not policy.can_work_task(request.user, task):
            raise PermissionDenied(_("A task is marked done by its assignee or by whoever manages the plan."))
        task = task_complete(task=task, by=request.user)
        return Response(self.output(_tasks(CoachingTask.objects.filter(pk=task.pk)).get()))


# Sessions


def _sessions(sessions: QuerySet[CoachingSession]) -> QuerySet[CoachingSession]:
    next_steps = _tasks(CoachingTask.objects.order_by("due_on", "pk"))
    return sessions.select_related("plan", "recorded_by").prefetch_related(Prefetch("next_steps", queryset=next_steps))


@extend_schema_view(
    list=extend_schema(parameters=[PLAN_PARAMETER]),
    create=extend_schema(
        examples=[
            OpenApiExample(
                "A 1:1 with two next steps",
                request_only=True,
                value={
                    "plan": 8,
                    "held_on": "2026-07-01",
                    "notes": "Walked through the Acme call; next steps were left open twice.",
                    "next_steps": [
                        {"title": "Agree a dated next step on every call this week", "due_on": "2026-07-08"},
                        {"title": "Send the talk track", "due_on": "2026-07-02", "assignee": 4, "kind": "reading"},
                    ],
                },
            )
        ]
    ),
)
class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CoachingViewSet):
    """1:1 sessions of the plans the caller sees, with the next steps agreed in them; `?plan=<id>` narrows
    the list. POST records a 1:1 that happened, on a plan the caller manages (as on the plan page); each
    next step becomes a task for the coachee or the coach."""

    output_serializer_class = serializers.SessionSerializer
    input_serializer_classes = {"create": serializers.SessionInputSerializer}

    def get_queryset(self) -> QuerySet[CoachingSession]:
        sessions = _sessions(CoachingSession.objects.filter(plan__in=_visible_plan_ids(self.request)))
        if self.action == "list" and (plan := id_param(self.request, "plan")) is not None:
            sessions = sessions.filter(plan_id=plan)
        return sessions

    def get_serializer(self, *args, **kwargs) -> BaseSerializer:
        if self.action == "create":
            kwargs["plans"] = policy.plans_visible_to(self.request.user)
        return super().get_serializer(*args, **kwargs)

    def create(self, request: Request) -> Response:
        values = self.get_serializer(data=request.data)
        values.is_valid(raise_exception=True)
        if not policy.can_record_session(request.user, values.validated_data["plan"]):
            raise PermissionDenied(_("1:1s are recorded by the coachee and whoever coaches them."))
        session = session_record(by=request.user, **values.validated_data)
        written = _sessions(CoachingSession.objects.filter(pk=session.pk)).get()
        return Response(self.output(written), status=status.HTTP_201_CREATED)
