"""Shapes of the coaching API. Output serializers describe what is read; input serializers validate the
shape of what a command accepts before the view hands it to a service, which owns every cross-model
rule. Querysets a field may name are passed in by the view, scoped to the caller, so an id the caller
may not use is answered like one that does not exist."""

from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from coaching.models import (
    ActivityKind,
    Assessment,
    AssessmentRating,
    CoachingPlan,
    CoachingSession,
    CoachingTask,
    DevelopmentActivity,
    Goal,
)
from coaching.selectors.plans import progress_percent
from coaching.services.assessments import LevelInput
from coaching.services.plans import NextStep
from enablement.api.base import KeyRelatedField
from enablement.models import Person
from managers.api.hiring_serializers.refs import UserRefSerializer
from managers.api.serializers import PersonRefSerializer
from managers.models import LEVELS, Competency

LEVEL_FIELD = {"max_digits": 3, "decimal_places": 2, "min_value": Decimal(1), "max_value": Decimal(4)}


class CompetencyRefSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class PlanRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)


def _period_in_order(attrs: dict) -> None:
    start, end = attrs.get("period_start"), attrs.get("period_end")
    if start is not None and end is not None and end < start:
        raise serializers.ValidationError({"period_end": [_("The period ends after it starts.")]})


def _plan_person(plan: CoachingPlan, person_id: int | None, field: str) -> Person:
    """The coachee or the coach of `plan` named by id (the coachee when None); any other id is an error."""
    if person_id is None or person_id == plan.coachee_id:
        return plan.coachee
    if person_id == plan.coach_id:
        return plan.coach
    raise serializers.ValidationError({field: [_("A task goes to the coachee or the coach.")]})


# Assessments


class AssessmentRatingSerializer(serializers.ModelSerializer):
    competency = serializers.CharField(source="competency.key", read_only=True)
    name = serializers.CharField(source="competency.name", read_only=True)

    class Meta:
        model = AssessmentRating
        fields = ["competency", "name", "level", "evidence"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    """A requested self-assessment has no ratings and no `assessed_on` until it is submitted."""

    person = PersonRefSerializer(read_only=True)
    assessor = UserRefSerializer(read_only=True, allow_null=True)
    requested_by = UserRefSerializer(read_only=True, allow_null=True)
    ratings = AssessmentRatingSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "person",
            "source",
            "status",
            "assessor",
            "requested_by",
            "assessed_on",
            "period_start",
            "period_end",
            "due_on",
            "summary",
            "created_at",
            "updated_at",
            "ratings",
        ]
        read_only_fields = fields


class RatingInputSerializer(serializers.Serializer):
    competency = KeyRelatedField(slug_field="key", queryset=Competency.objects.filter(is_active=True))
    level = serializers.DecimalField(**LEVEL_FIELD, help_text=_("1 to 4; fractions allowed, e.g. 2.5."))
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentInputSerializer(serializers.Serializer):
    """A submitted assessment of `person` (an id). Every source but "hiring", which comes only from hiring
    decisions; each active competency, named by its key, at most once."""

    person = serializers.IntegerField(min_value=1)
    source = serializers.ChoiceField(choices=Assessment.Source.choices)
    assessed_on = serializers.DateField(required=False, allow_null=True, help_text=_("Today when left out."))
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    ratings = RatingInputSerializer(many=True)

    def validate_ratings(self, rows: list[dict]) -> list[dict]:
        keys = [row["competency"].key for row in rows]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise serializers.ValidationError(
                _("Rate each competency once (listed more than once: %(keys)s).") % {"keys": ", ".join(repeated)}
            )
        return rows

    def validate(self, attrs: dict) -> dict:
        _period_in_order(attrs)
        return attrs

    def service_values(self) -> dict:
        """The validated body as `assessment_record` takes it, without `person` (the view resolves it)."""
        values = {key: value for key, value in self.validated_data.items() if key != "person"}
        values["ratings"] = {
            row["competency"]: LevelInput(level=row["level"], evidence=row["evidence"]) for row in values["ratings"]
        }
        return values


# Plans


class PlanSerializer(serializers.ModelSerializer):
    """Needs the annotations of `with_progress`. `progress` is in whole percent (null: nothing in the plan
    yet); goal counts leave dropped goals out and task counts cancelled tasks."""

    coachee = PersonRefSerializer(read_only=True)
    coach = PersonRefSerializer(read_only=True)
    progress = serializers.SerializerMethodField()
    goals_count = serializers.IntegerField(source="goals_counted", read_only=True)
    goals_achieved = serializers.IntegerField(read_only=True)
    tasks_count = serializers.IntegerField(source="tasks_counted", read_only=True)
    tasks_done = serializers.IntegerField(read_only=True)
    tasks_overdue = serializers.IntegerField(read_only=True)

    class Meta:
        model = CoachingPlan
        fields = [
            "id",
            "title",
            "coachee",
            "coach",
            "state",
            "period_start",
            "period_end",
            "activated_at",
            "completed_at",
            "progress",
            "goals_count",
            "goals_achieved",
            "tasks_count",
            "tasks_done",
            "tasks_overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_progress(self, plan: CoachingPlan) -> int | None:
        return progress_percent(plan)


class PlanInputSerializer(serializers.Serializer):
    """A new draft plan. `coachee` is someone below the caller; `coach` (the caller when left out) the
    caller or someone below them. With `from_gaps` the plan starts with a goal per largest gap and tasks
    from the activity library."""

    coachee = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    coach = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none(), required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    from_gaps = serializers.BooleanField(required=False, default=False)

    def __init__(
        self, *args, coachees: QuerySet[Person], coaches: QuerySet[Person], default_coach: Person | None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["coachee"].queryset = coachees
        self.fields["coach"].queryset = coaches
        self.default_coach = default_coach

    def validate(self, attrs: dict) -> dict:
        attrs.setdefault("coach", self.default_coach)
        if attrs["coach"] is None:
            raise serializers.ValidationError({"coach": [_("Name the coach.")]})
        if attrs["coach"] == attrs["coachee"]:
            raise serializers.ValidationError({"coach": [_("A coach does not coach themselves.")]})
        _period_in_order(attrs)
        return attrs


# Goals


class GoalSerializer(serializers.ModelSerializer):
    plan = PlanRefSerializer(read_only=True)
    competency = CompetencyRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Goal
        fields = [
            "id",
            "plan",
            "competency",
            "title",
            "baseline_level",
            "target_level",
            "due_on",
            "state",
            "note",
            "position",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class GoalUpdateInputSerializer(serializers.Serializer):
    """Any of these fields; used with `partial=True`."""

    title = serializers.CharField(max_length=200)
    target_level = serializers.ChoiceField(choices=LEVELS, allow_null=True)
    due_on = serializers.DateField()
    state = serializers.ChoiceField(choices=Goal.State.choices)
    note = serializers.CharField(allow_blank=True)


# Tasks


class TaskSerializer(serializers.ModelSerializer):
    plan = PlanRefSerializer(read_only=True)
    assignee = PersonRefSerializer(read_only=True)
    completed_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CoachingTask
        fields = [
            "id",
            "plan",
            "goal",
            "session",
            "activity",
            "kind",
            "title",
            "description",
            "assignee",
            "due_on",
            "state",
            "completed_at",
            "completed_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TaskInputSerializer(serializers.Serializer):
    """A new task of a plan the caller sees; `assignee` is the plan's coachee (when left out) or coach."""

    plan = serializers.PrimaryKeyRelatedField(queryset=CoachingPlan.objects.none())
    goal = serializers.PrimaryKeyRelatedField(queryset=Goal.objects.none(), required=False, allow_null=True)
    activity = serializers.PrimaryKeyRelatedField(
        queryset=DevelopmentActivity.objects.filter(is_active=True), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    assignee = serializers.IntegerField(required=False, allow_null=True)
    due_on = serializers.DateField()

    def __init__(self, *args, plans: QuerySet[CoachingPlan], goals: QuerySet[Goal], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["goal"].queryset = goals

    def validate(self, attrs: dict) -> dict:
        attrs["assignee"] = _plan_person(attrs["plan"], attrs.get("assignee"), "assignee")
        return attrs


class TaskUpdateInputSerializer(serializers.Serializer):
    """What changes on an open task: title, details, due date, and assignee (the coachee or the coach)."""

    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    due_on = serializers.DateField(required=False)
    assignee = serializers.IntegerField(required=False)

    def validate(self, attrs: dict) -> dict:
        if "assignee" in attrs:
            attrs["assignee"] = _plan_person(self.context["task"].plan, attrs["assignee"], "assignee")
        return attrs


# Sessions


class SessionSerializer(serializers.ModelSerializer):
    """`next_steps` are the tasks agreed in the 1:1."""

    plan = PlanRefSerializer(read_only=True)
    recorded_by = UserRefSerializer(read_only=True, allow_null=True)
    next_steps = TaskSerializer(many=True, read_only=True)

    class Meta:
        model = CoachingSession
        fields = ["id", "plan", "held_on", "notes", "recorded_by", "created_at", "updated_at", "next_steps"]
        read_only_fields = fields


class NextStepInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    assignee = serializers.IntegerField(required=False, allow_null=True, help_text=_("The coachee or the coach."))
    kind = serializers.ChoiceField(choices=ActivityKind.choices, default=ActivityKind.PRACTICE)


class SessionInputSerializer(serializers.Serializer):
    """A 1:1 that happened, with its notes; each next step becomes a task of the plan. All or nothing."""

    plan = serializers.PrimaryKeyRelatedField(queryset=CoachingPlan.objects.none())
    held_on = serializers.DateField()
    notes = serializers.CharField()
    next_steps = NextStepInputSerializer(many=True, required=False, default=list)

    def __init__(self, *args, plans: QuerySet[CoachingPlan], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans

    def validate(self, attrs: dict) -> dict:
        plan, errors, steps = attrs["plan"], {}, []
        for index, row in enumerate(attrs["next_steps"]):
            try:
                assignee = _plan_person(plan, row.get("assignee"), "assignee")
            except serializers.ValidationError as error:
                errors[index] = error.detail  # keyed by row, as DRF keys the errors of a list
                continue
            steps.append(NextStep(title=row["title"], due_on=row["due_on"], assignee=assignee, kind=row["kind"]))
        if errors:
            raise serializers.ValidationError({"next_steps": errors})
        attrs["next_steps"] = steps
        return attrs
