"""The shapes of `POST /api/v1/metric-readings/bulk/` (the rules are `managers.services.readings_bulk`)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample
from rest_framework import exceptions, serializers

from managers.services.readings_bulk import STATUSES, ReadingRow

MAX_ROWS = 1000


class ReadingRowSerializer(serializers.Serializer):
    person = serializers.CharField(max_length=100, help_text=_("The person's external id (the HR system's key)."))
    metric = serializers.UUIDField(
        help_text=_("The metric's `key` (GET /api/v1/charter-versions/: a metric keeps its key across versions).")
    )
    period = serializers.DateField(help_text=_("Any day of the period (YYYY-MM-DD); stored as the period's first day."))
    value = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class ReadingsBulkSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(
        default=False, help_text=_("Check every row and answer what would change, writing nothing.")
    )
    readings = serializers.ListField(
        min_length=1, max_length=MAX_ROWS, help_text=_("Up to %(max)d rows.") % {"max": MAX_ROWS}
    )


class ReadingsBulkSchemaSerializer(ReadingsBulkSerializer):
    """What the schema shows `readings` to hold (the view checks each row on its own, for per-row errors)."""

    readings = ReadingRowSerializer(many=True, min_length=1, max_length=MAX_ROWS)


class ReadingResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("The row's position in `readings`, from 0."))
    person = serializers.CharField(allow_null=True)
    metric = serializers.CharField(allow_null=True, help_text=_("The metric key as the row sent it."))
    period = serializers.DateField(allow_null=True, help_text=_("The period's first day (null for a refused row)."))
    status = serializers.ChoiceField(choices=STATUSES)
    id = serializers.IntegerField(
        allow_null=True, help_text=_("The reading's id (null for a refused or new dry-run row).")
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("For `error` rows: messages per field of the row (`non_field_errors` for the row)."),
    )


class ReadingsSummarySerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error = serializers.IntegerField()


class ReadingsBulkResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    summary = ReadingsSummarySerializer()
    results = ReadingResultSerializer(many=True)


def reading_rows(data: list) -> list[ReadingRow]:
    """Each row checked on its own by one serializer, so every row gets its own field messages."""
    serializer, rows = ReadingRowSerializer(), []
    for index, row in enumerate(data):
        if not isinstance(row, dict):
            rows.append(ReadingRow(index, {}, {"non_field_errors": [str(_("Each row must be an object."))]}))
            continue
        try:
            rows.append(ReadingRow(index, serializer.run_validation(row)))
        except exceptions.ValidationError as error:
            keep = {name: row[name] for name in ("person", "metric") if isinstance(row.get(name), str)}
            messages = {name: [str(message) for message in messages] for name, messages in error.detail.items()}
            rows.append(ReadingRow(index, keep, messages))
    return rows


BULK_EXAMPLE = OpenApiExample(
    "Two managers' pipeline coverage for March, from a CRM export",
    request_only=True,
    value={
        "dry_run": False,
        "readings": [
            {
                "person": "E-1001",
                "metric": "3f6c1f0e-7a51-4d8e-9b7a-0c5d2e9a1b44",
                "period": "2026-03-01",
                "value": "3.40",
                "note": "From Salesforce",
            },
            {
                "person": "E-1002",
                "metric": "3f6c1f0e-7a51-4d8e-9b7a-0c5d2e9a1b44",
                "period": "2026-03-31",
                "value": "2.10",
            },
        ],
    },
)
BULK_RESULT_EXAMPLE = OpenApiExample(
    "One reading created, one refused",
    response_only=True,
    value={
        "dry_run": False,
        "summary": {"created": 1, "updated": 0, "unchanged": 0, "error": 1},
        "results": [
            {
                "index": 0,
                "person": "E-1001",
                "metric": "3f6c1f0e-7a51-4d8e-9b7a-0c5d2e9a1b44",
                "period": "2026-03-01",
                "status": "created",
                "id": 8812,
                "errors": {},
            },
            {
                "index": 1,
                "person": "E-1002",
                "metric": "3f6c1f0e-7a51-4d8e-9b7a-0c5d2e9a1b44",
                "period": None,
                "status": "error",
                "id": None,
                "errors": {"metric": ["3f6c1f0e-… is not a metric of the charter E-1002 holds now."]},
            },
        ],
    },
)
