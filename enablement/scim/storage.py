"""The SCIM resources over the Django models: what scim2-server's handler reads and writes through.

scim2-server does the protocol (routing, validation, PATCH and PUT semantics, attribute projection,
errors); this storage turns a User into a person and their login, a Group into an access group, and
back. Reads are scoped querysets with their relations joined or prefetched, so a page costs the same
few queries whatever its size; writes go through `enablement.scim.services`.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from scim2_models import (
    InvalidValueException,
    Meta,
    MutabilityException,
    NotFoundException,
    Resource,
    ResourceType,
    ResponseParameters,
    SearchRequest,
    UniquenessException,
)
from scim2_server.storage import ScimStorage, SearchPage

from enablement.models import Person
from enablement.scim import services
from enablement.scim.filters import ENTERPRISE, Field, filter_to_q
from enablement.scim.ids import group_id, group_pk, user_id, user_pk
from enablement.scim.schemas import (
    MEMBER_TYPE,
    WORK,
    Email,
    EnterpriseUser,
    Group,
    GroupMember,
    GroupMembership,
    Manager,
    Name,
    UserResource,
)


def _in_people(condition: Q) -> Q:
    return Q(pk__in=Person.objects.filter(condition).values("pk"))


def _in_groups(condition: Q) -> Q:
    return Q(pk__in=AuthGroup.objects.filter(condition).values("pk"))


USER_FIELDS = {
    ("", "id", ""): Field("id", "pk"),
    ("", "username", ""): Field("string", "user__username"),
    ("", "externalid", ""): Field("exact", "scim__external_id"),
    ("", "displayname", ""): Field("string", "scim_display_name"),
    ("", "name", "givenname"): Field("string", "first_name"),
    ("", "name", "familyname"): Field("string", "last_name"),
    ("", "title", ""): Field("string", "title"),
    ("", "active", ""): Field("bool", "user__is_active"),
    ("", "emails", "value"): Field("string", "email"),
    ("", "emails", "type"): Field("constant", WORK),
    ("", "groups", "value"): Field("group_id", "user__groups__pk", _in_people),
    ("", "groups", "display"): Field("string", "user__groups__name", _in_people),
    ("", "meta", "created"): Field("datetime", "created_at"),
    ("", "meta", "lastmodified"): Field("datetime", "updated_at"),
    (ENTERPRISE, "employeenumber", ""): Field("exact", "scim_employee_number"),
    (ENTERPRISE, "department", ""): Field("string", "team__name"),
    (ENTERPRISE, "manager", "value"): Field("id", "manager_id"),
}

GROUP_FIELDS = {
    ("", "id", ""): Field("group_id", "pk"),
    ("", "displayname", ""): Field("string", "name"),
    ("", "externalid", ""): Field("exact", "scim__external_id"),
    ("", "members", "value"): Field("id", "user__person__pk", _in_groups),
    ("", "meta", "created"): Field("datetime", "scim__created_at"),
    ("", "meta", "lastmodified"): Field("datetime", "scim__updated_at"),
}


def scim_error(error: ValidationError) -> Exception:
    """A service's ValidationError as the SCIM error it answers: 409 uniqueness, 400 mutability or 400
    invalidValue, with every message in the detail."""
    codes = {getattr(each, "code", None) for each in error.error_list} if hasattr(error, "error_list") else set()
    if hasattr(error, "error_dict"):
        codes = {getattr(each, "code", None) for errors in error.error_dict.values() for each in errors}
        detail = "; ".join(
            " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    else:
        detail = " ".join(error.messages)
    if "unique" in codes:
        return UniquenessException(detail=detail)
    if "mutability" in codes:
        return MutabilityException(detail=detail)
    return InvalidValueException(detail=detail)


# Users


def users() -> QuerySet[Person]:
    login_groups = Prefetch("user__groups", queryset=AuthGroup.objects.order_by("pk"))
    return (
        services.provisioned_people()
        .select_related("user", "team", "scim")
        .prefetch_related(login_groups)
        .annotate(scim_display_name=Concat("first_name", Value(" "), "last_name"))
        .order_by("pk")
    )


def user_resource(person: Person) -> Resource[Any]:
    link = getattr(person, "scim", None)
    login = person.user
    resource = UserResource(
        id=user_id(person.pk),
        external_id=(link.external_id if link else "") or None,
        user_name=login.username,
        name=Name(given_name=person.first_name, family_name=person.last_name),
        display_name=person.full_name,
        title=person.title or None,
        active=None if link and link.active_unset and login.is_active else login.is_active,
        emails=[Email(value=person.email, type=WORK)],
        groups=[
            GroupMembership(value=group_id(group.pk), ref=f"Groups/{group_id(group.pk)}", display=group.name)
            for group in login.groups.all()
        ]
        or None,
        meta=Meta(
            resource_type="User",
            created=person.created_at,
            last_modified=max(person.updated_at, link.updated_at) if link else person.updated_at,
        ),
    )
    enterprise = EnterpriseUser(
        employee_number=None if link and link.employee_number_unset else person.external_id,
        department=person.team.name if person.team_id else None,
        manager=Manager(value=user_id(person.manager_id), ref=f"Users/{user_id(person.manager_id)}")
        if person.manager_id
        else None,
    )
    if enterprise.employee_number or enterprise.department or enterprise.manager:
        resource[EnterpriseUser] = enterprise
    return resource


def user_data(resource: Resource[Any]) -> services.UserData:
    """The person and login `resource` describes. Raises InvalidValueException for what the platform
    requires and SCIM does not (after a PATCH removed it, say)."""
    name = resource.name
    if not resource.user_name or name is None or not name.given_name or not name.family_name:
        raise InvalidValueException(detail="userName, name.givenName and name.familyName are required.")
    emails = resource.emails or []
    primary = [e for e in emails if e.unknown_attributes.get("primary") is True]
    email = next(iter(primary + [e for e in emails if e.type == WORK] + emails), None)
    if email is None or not email.value:
        raise InvalidValueException(detail="A work email is required.")
    enterprise = resource[EnterpriseUser] or EnterpriseUser()
    manager = enterprise.manager
    return services.UserData(
        user_name=resource.user_name.strip(),
        first_name=name.given_name.strip(),
        last_name=name.family_name.strip(),
        email=str(email.value),
        title=(resource.title or "").strip(),
        active=resource.active,
        external_id=resource.external_id or "",
        employee_number=(enterprise.employee_number or "").strip() or None,
        department=enterprise.department,
        manager_id=(manager.value or (str(manager.ref).rstrip("/").rsplit("/", 1)[-1] if manager.ref else None))
        if manager
        else None,
    )


# Groups


def groups(*, with_members: bool = True) -> QuerySet[AuthGroup]:
    queryset = AuthGroup.objects.select_related("scim").order_by("pk")
    if not with_members:
        return queryset
    members = get_user_model().objects.filter(pk__in=services.provisioned_people().values("user"))
    return queryset.prefetch_related(
        Prefetch("user_set", queryset=members.select_related("person").order_by("person__pk"), to_attr="scim_members")
    )


def group_resource(group: AuthGroup) -> Resource[Any]:
    link = getattr(group, "scim", None)
    members = [
        GroupMember(value=user_id(login.person.pk), ref=f"Users/{user_id(login.person.pk)}", type=MEMBER_TYPE)
        for login in getattr(group, "scim_members", [])
    ]
    return Group(
        id=group_id(group.pk),
        display_name=group.name,
        external_id=(link.external_id if link else "") or None,
        members=members or None,
        meta=Meta(
            resource_type="Group",
            created=link.created_at if link else None,
            last_modified=link.updated_at if link else None,
        ),
    )


def group_data(resource: Resource[Any]) -> services.GroupData:
    if not resource.display_name or not resource.display_name.strip():
        raise InvalidValueException(detail="displayName is required.")
    member_ids = []
    for member in resource.members or []:
        value = member.value or (str(member.ref).rstrip("/").rsplit("/", 1)[-1] if member.ref else None)
        if not value or (member.type and member.type != MEMBER_TYPE):
            raise InvalidValueException(detail="Every member must be a User, given by its id.")
        member_ids.append(value)
    return services.GroupData(
        name=resource.display_name.strip(), external_id=resource.external_id or "", member_ids=tuple(member_ids)
    )


class DjangoStorage(ScimStorage):
    """One per request. `lock` makes reads take row locks (writes read the resource first), so two
    concurrent PATCHes of a group's members apply one after the other instead of losing one."""

    def __init__(self, *, lock: bool = False):
        self.lock = lock

    def _kind(self, resource_type: ResourceType) -> str:
        if resource_type.name not in ("User", "Group"):
            raise NotFoundException(detail=f"No resource type {resource_type.name}.")
        return resource_type.name

    def _locked(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_for_update(of=("self",)) if self.lock else queryset

    def _person(self, resource_id: str | None) -> Person:
        pk = user_pk(resource_id)
        person = self._locked(users()).filter(pk=pk).first() if pk is not None else None
        if person is None:
            raise NotFoundException(detail=f"User {resource_id} not found.")
        return person

    def _group(self, resource_id: str | None, *, with_members: bool = True) -> AuthGroup:
        queryset = self._locked(groups(with_members=with_members))
        pk = group_pk(resource_id, legacy=True)  # the path's id: a bare number from before the prefix too
        group = queryset.filter(pk=pk).first() if pk is not None else None
        if group is None:
            raise NotFoundException(detail=f"Group {resource_id} not found.")
        return group

    def get(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        response_parameters: ResponseParameters[Any] | None = None,
    ) -> Resource[Any]:
        if self._kind(resource_type) == "User":
            return user_resource(self._person(resource_id))
        with_members = not _excludes(response_parameters, "members")
        return group_resource(self._group(resource_id, with_members=with_members))

    def search(
        self, resource_types: list[ResourceType], search_request: SearchRequest[Any], *, position: Any = None
    ) -> SearchPage:
        # At the root (several types) the types are listed one after the other, Users first, and an
        # attribute one type does not have matches none of its resources (RFC 7644 §3.4.2.1).
        lenient = len(resource_types) > 1
        start, count = search_request.start_index_0 or 0, search_request.count
        total, resources = 0, []
        for resource_type in sorted(resource_types, key=lambda each: each.name != "User"):
            queryset, build = self._searched(resource_type, search_request, lenient=lenient)
            found = queryset.count()
            offset = max(start - total, 0)
            wanted = None if count is None else count - len(resources)
            if (wanted is None or wanted > 0) and offset < found:
                stop = found if wanted is None else offset + wanted
                resources += [build(each) for each in queryset[offset:stop]]
            total += found
        return SearchPage(total=total, resources=resources)

    def _searched(self, resource_type: ResourceType, search_request: SearchRequest[Any], *, lenient: bool):
        if self._kind(resource_type) == "User":
            queryset, fields, build = users(), USER_FIELDS, user_resource
            queryset = queryset.annotate(scim_employee_number=_employee_number())
        else:
            with_members = not _excludes(search_request, "members")
            queryset, fields, build = groups(with_members=with_members), GROUP_FIELDS, group_resource
        return queryset.filter(filter_to_q(search_request.filter, fields, lenient=lenient)), build

    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        try:
            if self._kind(resource_type) == "User":
                person = services.scim_user_create(data=user_data(resource))
                return user_resource(users().get(pk=person.pk))
            group = services.scim_group_create(data=group_data(resource))
            return group_resource(groups().get(pk=group.pk))
        except ValidationError as error:
            raise scim_error(error) from error
        except IntegrityError as error:  # a concurrent request took the value after the checks
            raise UniquenessException(detail="A value of this resource was just taken by another.") from error

    def update(
        self, resource_type: ResourceType, resource: Resource[Any], *, expected_version: str | None = None
    ) -> Resource[Any]:
        try:
            if self._kind(resource_type) == "User":
                person = self._person(resource.id)
                services.scim_user_update(person=person, data=user_data(resource))
                return user_resource(users().get(pk=person.pk))
            group = self._group(resource.id)
            services.scim_group_update(group=group, data=group_data(resource))
            return group_resource(groups().get(pk=group.pk))
        except ValidationError as error:
            raise scim_error(error) from error
        except IntegrityError as error:  # a concurrent request took the value after the checks
            raise UniquenessException(detail="A value of this resource was just taken by another.") from error

    def delete(self, resource_type: ResourceType, resource_id: str, *, expected_version: str | None = None) -> None:
        try:
            if self._kind(resource_type) == "User":
                services.scim_user_terminate(person=self._person(resource_id))
            else:
                services.scim_group_delete(group=self._group(resource_id, with_members=False))
        except ValidationError as error:
            raise scim_error(error) from error
        except IntegrityError as error:  # a concurrent request took the value after the checks
            raise UniquenessException(detail="A value of this resource was just taken by another.") from error


def _employee_number():
    """The employeeNumber SCIM reports: the external id, unless the IdP never set it or removed it."""
    return Case(When(scim__employee_number_unset=True, then=Value("")), default="external_id")


def _excludes(parameters: Any, attribute: str) -> bool:
    """Whether the response leaves `attribute` out, so the storage need not load it."""
    if parameters is None:
        return False

    def names(paths: Any) -> set[str]:
        return {str(each).lower().rsplit(":", 1)[-1].split(".", 1)[0] for each in paths or []}

    if parameters.attributes:
        return attribute not in names(parameters.attributes)
    return attribute in names(parameters.excluded_attributes)
