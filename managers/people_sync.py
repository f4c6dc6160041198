"""The `role` of a person in the people API and the HR bulk sync: the code of the role they hold now."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enablement.org.extensions import PersonExtension
from managers.models import Role, RoleAssignment
from managers.services.role_assignments import roles_assign_bulk, roles_refused


def _current_role_code() -> Subquery:
    return Subquery(
        RoleAssignment.objects.filter(person=OuterRef("pk"), ended_on__isnull=True).values("role__code")[:1]
    )


def _known_codes(codes: set) -> set:
    return set(Role.objects.filter(code__in=codes).values_list("code", flat=True))


def _role_field(**kwargs) -> serializers.Field:
    return serializers.SlugField(max_length=60, allow_null=True, **kwargs)


ROLE_EXTENSION = PersonExtension(
    name="role",
    stored=_current_role_code,
    known=_known_codes,
    unknown_message=_("No role has code %(value)s."),
    apply=lambda changes, on, by: roles_assign_bulk(changes=changes, on=on, by=by),
    check=lambda changes, on: roles_refused(changes=changes, on=on),
    make_serializer_field=_role_field,
    description=str(
        _(
            "The code of the role the person holds (a manager role, say `fsm-enterprise`); null for none. "
            "Setting it ends the current role (kept as history) from today and asks the person to "
            "acknowledge the new role's published charter."
        )
    ),
)
