"""`GET /api/v1/manager-impact/` (`impact:read`): the figures of the Manager impact page per manager, with the
same visibility (a sales leader: the managers below them; a manager: their own; nobody else anyone, HR admins
and their systems included: it is how managers are doing) and the same team pulse bands (only what the
confidentiality rules release). Filters `director`, `role`, `team` as on the page. Figures are computed when
asked for, so the list pages by number, not by `changed_since`; a page of managers is computed in a fixed
number of queries."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.pagination import PageNumberPagination

from coaching.impact.selectors import impact_card_for, manager_impacts
from enablement.api.base import ServiceViewSet
from enablement.api.query_params import id_param
from enablement.api.sync import MAX_PAGE_SIZE
from enablement.models import Person

# Read-only: no route here writes, so the write scope is never asked for.
IMPACT_SCOPES = {"read": "impact:read", "write": "impact:read"}


class ImpactPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    name = serializers.CharField(source="full_name")


class BandSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["shown", "not_enough", "none"],
        help_text=_("shown; not_enough (a pulse ran, too few answered to release it); none (no team pulse)."),
    )
    favourable = serializers.CharField(source="label", allow_null=True, help_text=_("The favourable share, as a band."))


class ClarityRatingsSerializer(serializers.Serializer):
    focus = serializers.IntegerField()
    deprioritize = serializers.IntegerField()
    success = serializers.IntegerField()


class ClaritySerializer(serializers.Serializer):
    charter_version = serializers.IntegerField(source="version.number", allow_null=True, default=None)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    pending_since = serializers.DateTimeField(allow_null=True)
    ratings = serializers.SerializerMethodField(help_text=_("From the latest acknowledgement, 1-5."))
    rated_version = serializers.IntegerField(allow_null=True)
    unanswered_questions = serializers.IntegerField(source="unanswered")
    pulse = BandSerializer()

    @extend_schema_field(ClarityRatingsSerializer(allow_null=True))
    def get_ratings(self, clarity) -> dict | None:
        if clarity.ratings is None:
            return None
        return dict(zip(("focus", "deprioritize", "success"), clarity.ratings, strict=True))


class ImpactPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="plan.pk")
    progress = serializers.IntegerField(allow_null=True, help_text=_("Percent."))
    overdue_tasks = serializers.IntegerField()


class SkillsSerializer(serializers.Serializer):
    gap_index = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text=_("Σ weight × gap ÷ Σ weight over the assessed required competencies, in levels."),
    )
    gap_index_last_quarter = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, source="gap_index_before"
    )
    assessed_competencies = serializers.IntegerField(source="assessed")
    required_competencies = serializers.IntegerField(source="required")
    plan = serializers.SerializerMethodField()
    team = serializers.IntegerField(help_text=_("Current direct reports."))
    team_with_conversation = serializers.IntegerField(help_text=_("Of them, with a 1:1 in the last 180 days."))

    @extend_schema_field(ImpactPlanSerializer(allow_null=True))
    def get_plan(self, skills) -> dict | None:
        return ImpactPlanSerializer(skills).data if skills.plan else None


class RatedItemSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    name = serializers.CharField(source="item.name")
    kind = serializers.CharField(source="item.kind")
    score = serializers.SerializerMethodField()

    def get_score(self, entry) -> int | None:
        return entry.ratings[0].score if entry.ratings else None


class OpenRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.CharField()
    opened_at = serializers.DateTimeField(source="created_at")
    first_response_due_at = serializers.DateTimeField()
    first_response_at = serializers.DateTimeField(allow_null=True)


class SupportSerializer(serializers.Serializer):
    ratings_mean = serializers.FloatField(source="mean", allow_null=True)
    ratings = RatedItemSerializer(source="items", many=True)
    open_requests = OpenRequestSerializer(many=True, help_text=_("Oldest first."))
    pulse = BandSerializer()


class MetricSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="metric.pk")
    key = serializers.UUIDField(source="metric.key")
    name = serializers.CharField(source="metric.name")
    status = serializers.ChoiceField(choices=["on_track", "at_risk", "off_track", "no_data"])
    latest = serializers.DecimalField(
        source="latest.value", max_digits=12, decimal_places=2, allow_null=True, default=None
    )
    period = serializers.DateField(source="latest.period", allow_null=True, default=None)


class PerformanceSerializer(serializers.Serializer):
    metrics = MetricSerializer(source="statuses", many=True)
    on_track = serializers.IntegerField()
    total = serializers.IntegerField()
    trend = serializers.ChoiceField(choices=["up", "down", "flat"], allow_null=True)
    meets = serializers.BooleanField(allow_null=True, help_text=_("Every metric on track (null: nothing recorded)."))
    engagement = BandSerializer()


class ImpactFlagSerializer(serializers.Serializer):
    lever = serializers.ChoiceField(choices=["clarity", "skills", "support", "performance"])
    text = serializers.CharField(help_text=_("Why the manager needs attention."))


class ManagerImpactSerializer(serializers.Serializer):
    """One manager's four columns, never combined into one score, and the flags that say why to look."""

    id = serializers.IntegerField(source="manager.pk")
    manager = ImpactPersonSerializer()
    director = ImpactPersonSerializer(allow_null=True)
    role = serializers.CharField(source="role_name")
    clarity = ClaritySerializer()
    skills = SkillsSerializer()
    support = SupportSerializer()
    performance = PerformanceSerializer()
    flags = ImpactFlagSerializer(many=True)


class ImpactPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        managers = super().paginate_queryset(queryset, request, view)
        return manager_impacts(managers) if managers is not None else None


FILTERS = [
    OpenApiParameter("director", int, description=_("Only the managers reporting to this person.")),
    OpenApiParameter("role", int, description=_("Only the holders of this role.")),
    OpenApiParameter("team", int, description=_("Only this team's managers.")),
]


@extend_schema_view(
    list=extend_schema(summary="List manager impact", parameters=FILTERS),
    retrieve=extend_schema(
        summary="Read one manager's impact", parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)]
    ),
)
class ManagerImpactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Per manager the caller may see (by the manager's person id): clarity, skills, support and team performance
    side by side, and the flags; the same figures the Manager impact page and cards show."""

    required_scopes = IMPACT_SCOPES
    output_serializer_class = ManagerImpactSerializer
    pagination_class = ImpactPagination

    def get_queryset(self) -> QuerySet[Person]:
        managers = impact_card_for(user=self.request.user).order_by(
            "manager__last_name", "manager__first_name", "manager_id", "last_name", "first_name", "pk"
        )
        if self.action == "list":
            for name, field in (("director", "manager_id"), ("role", "current_role_id"), ("team", "team_id")):
                if (value := id_param(self.request, name)) is not None:
                    managers = managers.filter(**{field: value})
        return managers

    def get_object(self):
        return manager_impacts([super().get_object()])[0]
