"""Shapes of the people and teams API. People and teams refer to each other by external id (the HR system's
keys), so what a sync sends and what the API answers line up field for field; the platform's own ids are
there too (`id`, `team_id`, `manager_id`)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enablement.api.base import KeyRelatedField
from enablement.models import Person, Team
from enablement.org.extensions import person_extensions
from enablement.org.payloads import person_payload

EXTERNAL_ID_HELP = _("The HR system's key (external id) of the %(what)s, or null.")


EMPLOYMENT_STATUS_HELP = _(
    "As the HR system says: `active` (also someone hired whose `start_date` is still to come: the pages show them "
    'as "Starts <date>" until that day), `on_leave`, or `terminated`.'
)


class ExternalIdRef(serializers.SlugRelatedField):
    """A related person or team by external id, read-only; null when there is none (or it has no key)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="external_id", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, obj) -> str | None:
        return obj.external_id or None


def _with_extension_fields(fields: dict, **kwargs) -> dict:
    for extension in person_extensions():
        fields[extension.name] = extension.make_serializer_field(help_text=extension.description, **kwargs)
    return fields


class PersonSerializer(serializers.ModelSerializer):
    """A person as the API answers them: `enablement.org.payloads.person_payload`, the shape webhook events
    carry too. The fields below describe it for the schema (a test keeps them in step)."""

    team = ExternalIdRef(help_text=EXTERNAL_ID_HELP % {"what": "team"})
    manager = ExternalIdRef(help_text=EXTERNAL_ID_HELP % {"what": "manager"})
    has_login = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "external_id",
            "first_name",
            "last_name",
            "email",
            "title",
            "team",
            "team_id",
            "manager",
            "manager_id",
            "employment_status",
            "start_date",
            "end_date",
            "has_login",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"employment_status": {"help_text": EMPLOYMENT_STATUS_HELP}}

    def get_fields(self) -> dict:
        # Other apps' fields (`role`) read the queryset's `ext_<name>` annotation (people_sync.with_extensions).
        fields = super().get_fields()
        for extension in person_extensions():
            fields[extension.name] = extension.make_serializer_field(
                source=f"ext_{extension.name}", read_only=True, help_text=extension.description
            )
        return fields

    def get_has_login(self, person: Person) -> bool:
        return person.user_id is not None

    def to_representation(self, instance: Person) -> dict:
        return person_payload(instance)


class PersonRowSerializer(serializers.Serializer):
    """One person as an HR system sends them: every field but `external_id` may be left out (the stored
    value stays; a new person needs first and last name and email)."""

    external_id = serializers.CharField(max_length=100)
    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(max_length=254, required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    team = serializers.CharField(
        max_length=100, required=False, allow_null=True, help_text=EXTERNAL_ID_HELP % {"what": "team"}
    )
    manager = serializers.CharField(
        max_length=100,
        required=False,
        allow_null=True,
        help_text=_("The manager's external id: a stored person or another row of the same batch; null for none."),
    )
    employment_status = serializers.ChoiceField(
        choices=Person.EmploymentStatus.choices, required=False, help_text=EMPLOYMENT_STATUS_HELP
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("Terminated people only; today if they leave without one.")
    )

    def get_fields(self) -> dict:
        return _with_extension_fields(super().get_fields(), required=False)


class PersonUpdateSerializer(PersonRowSerializer):
    """A PATCH: the same fields, all optional; the external id is the person's key and stays."""

    def get_fields(self) -> dict:
        fields = super().get_fields()
        del fields["external_id"]
        return fields


class PeopleBulkSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(
        default=False, help_text=_("Check every row and answer what would change, writing nothing.")
    )
    people = serializers.ListField(
        min_length=1,
        max_length=settings.PEOPLE_BULK_MAX_ROWS,
        help_text=_("Up to %(max)d rows, each a person by external id.") % {"max": settings.PEOPLE_BULK_MAX_ROWS},
    )


class PeopleBulkSchemaSerializer(PeopleBulkSerializer):
    """What the schema shows `people` to hold (the view checks each row on its own, for per-row errors)."""

    people = PersonRowSerializer(many=True, min_length=1, max_length=settings.PEOPLE_BULK_MAX_ROWS)


class RowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("The row's position in `people`, from 0."))
    external_id = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["created", "updated", "unchanged", "error"])
    id = serializers.IntegerField(allow_null=True, help_text=_("The person's id (null for a refused new row)."))
    changed_fields = serializers.ListField(child=serializers.CharField())
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("For `error` rows: messages per field of the row (`non_field_errors` for the row)."),
    )


class BulkSummarySerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error = serializers.IntegerField()


class PeopleBulkResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    summary = BulkSummarySerializer()
    results = RowResultSerializer(many=True)


class TeamSerializer(serializers.ModelSerializer):
    parent = ExternalIdRef(help_text=EXTERNAL_ID_HELP % {"what": "parent team"})
    lead = ExternalIdRef(help_text=EXTERNAL_ID_HELP % {"what": "team lead"})

    class Meta:
        model = Team
        fields = ["id", "external_id", "name", "parent", "parent_id", "lead", "lead_id", "created_at", "updated_at"]
        read_only_fields = fields


class TeamWriteSerializer(serializers.Serializer):
    """A team, with its parent team and lead by external id."""

    name = serializers.CharField(max_length=200)
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    parent = KeyRelatedField(
        slug_field="external_id",
        queryset=Team.objects.exclude(external_id=""),
        required=False,
        allow_null=True,
        help_text=EXTERNAL_ID_HELP % {"what": "parent team"},
    )
    lead = KeyRelatedField(
        slug_field="external_id",
        queryset=Person.objects.current(),
        required=False,
        allow_null=True,
        help_text=EXTERNAL_ID_HELP % {"what": "team lead"},
    )
