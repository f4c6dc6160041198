"""Writes SCIM makes: a person with their login, and access-group membership.

Every person write goes through `enablement.org.services` (`person_create`, `person_update`,
`person_terminate`), which validate, end a terminated person's login and announce changes. Each service
here runs in a transaction and raises django's ValidationError: with code "unique" when a value is taken
(SCIM answers 409 uniqueness), otherwise with field messages (400 invalidValue). None of them touches an
API client's account or a superuser: `provisioned_people` and `provisionable_logins` leave them out.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Value
from django.utils.translation import gettext as _

from enablement.accounts import roles
from enablement.models import Person, Team
from enablement.org.services import normalized_email, person_create, person_terminate, person_update, team_create
from enablement.scim.casefold import Casefold
from enablement.scim.ids import user_id, user_pk
from enablement.scim.models import ScimGroup, ScimUser

DERIVED_PREFIX = "scim-"
API_CLIENT_MARK = ":"  # in a username, only API clients' accounts have it (see ApiClient.USERNAME_PREFIX)


@dataclass(frozen=True)
class UserData:
    """A User as the IdP states it. `None` means unassigned."""

    user_name: str
    first_name: str
    last_name: str
    email: str
    title: str = ""
    active: bool | None = None
    external_id: str = ""
    employee_number: str | None = None
    department: str | None = None
    manager_id: str | None = None


@dataclass(frozen=True)
class GroupData:
    name: str
    external_id: str = ""
    member_ids: tuple[str, ...] = ()


def provisionable_logins() -> QuerySet:
    """Logins SCIM may see and change: people's, never a superuser's or an API client's."""
    return get_user_model().objects.filter(is_superuser=False, api_client__isnull=True)


def provisioned_people() -> QuerySet[Person]:
    """The SCIM Users: current people with a login SCIM may touch. Leavers are not SCIM resources."""
    return Person.objects.current().filter(user__in=provisionable_logins())


def unique_error(message: str) -> ValidationError:
    return ValidationError(message, code="unique")


def _without_case(queryset: QuerySet, field: str, name: str) -> QuerySet:
    return queryset.alias(name_key=Casefold(field)).filter(name_key=Casefold(Value(name)))


def _claim(holders: QuerySet, field: str, name: str, *, name_of: Callable, keep, taken: str) -> str:
    """The key `name` is stored under, case-folded (`str.casefold`), after making sure no other SCIM row
    holds it for a name that still folds to it (ValidationError "unique" if one does: this also catches
    what PostgreSQL's lower() does not fold, "ß" and "SS"). A row holding it for a name changed outside
    SCIM since is stale, and lets it go. A row another request is writing now is not seen here: the
    unique constraint makes this request's write wait for that one, then fail (409)."""
    key = name.casefold()
    if keep is not None:
        holders = holders.exclude(pk=keep.pk)
    stale = []
    for holder in holders.filter(**{field: key}):
        current = name_of(holder)
        if current is not None and current.casefold() == key:
            raise unique_error(taken)
        stale.append(holder.pk)
    if stale:
        holders.filter(pk__in=stale).update(**{field: ""})
    return key


def _check_user_name(user_name: str, *, login: AbstractBaseUser | None, link: ScimUser | None) -> str:
    """Refuses a userName with ":" (400) or one another login has, without case (409); returns the key the
    user's ScimUser row stores, whose unique constraint refuses the same name set by a concurrent request."""
    if API_CLIENT_MARK in user_name:
        raise ValidationError(
            {"userName": _('A userName cannot contain ":"; that mark is kept for API clients\' accounts.')}
        )
    taken = _without_case(get_user_model().objects.all(), "username", user_name)
    if login is not None:
        taken = taken.exclude(pk=login.pk)
    message = _("The userName %(name)s is taken.") % {"name": user_name}
    if taken.exists():
        raise unique_error(message)
    holders = ScimUser.objects.select_related("person__user")
    return _claim(holders, "user_name_key", user_name, name_of=_login_name, keep=link, taken=message)


def _login_name(link: ScimUser) -> str | None:
    return link.person.user.username if link.person.user_id else None


def _check_unique_person_fields(*, email: str, external_id: str | None, person: Person | None) -> None:
    others = Person.objects.exclude(pk=person.pk) if person is not None else Person.objects.all()
    if others.filter(email__iexact=normalized_email(email)).exists():
        raise unique_error(_("Another person has the email %(email)s.") % {"email": email})
    if external_id is not None and others.filter(external_id=external_id).exists():
        raise unique_error(_("Another person has the employeeNumber %(number)s.") % {"number": external_id})


def _team_named(name: str | None) -> Team | None:
    """The team called `name` (without case); a name no team has creates a top-level team of that name."""
    if not name:
        return None
    teams = list(Team.objects.filter(name__iexact=name.strip())[:2])
    if len(teams) > 1:
        raise ValidationError({"department": _("Several teams are called %(name)s.") % {"name": name}})
    return teams[0] if teams else team_create(name=name.strip())


def _manager_with_id(manager_id: str | None) -> Person | None:
    """The person with that SCIM id; a leaver is returned so that the service says why it is refused."""
    if not manager_id:
        return None
    pk = user_pk(manager_id)
    manager = Person.objects.filter(pk=pk).first() if pk is not None else None
    if manager is None:
        raise ValidationError({"manager": _("No User has the id %(id)s.") % {"id": manager_id}})
    return manager


def _derived_employee_number() -> str:
    return f"{DERIVED_PREFIX}{uuid.uuid4().hex}"


def _login_fields(data: UserData) -> dict:
    return {
        "username": data.user_name,
        "first_name": data.first_name[:150],
        "last_name": data.last_name[:150],
        "email": normalized_email(data.email),
        "is_active": data.active is not False,
    }


def _person_to_link(data: UserData) -> Person | None:
    """The person HR already synced that this User is: same employeeNumber and same email, current, and
    without a login yet. Anyone else with that email or number is a clash (409)."""
    if data.employee_number is None:
        return None
    return (
        Person.objects.current()
        .filter(external_id=data.employee_number, email__iexact=normalized_email(data.email), user__isnull=True)
        .first()
    )


@transaction.atomic
def scim_user_create(*, data: UserData) -> Person:
    """Creates the person and their login (no usable password: they sign in as the IdP lets them). A
    person HR synced without a login, with the same employeeNumber and email, gets the login instead.

    Without an employeeNumber the person gets a derived external id, `scim-<32 hex digits>`, kept for
    good (SCIM reports no employeeNumber for it). Raises ValidationError (see the module)."""
    user_name_key = _check_user_name(data.user_name, login=None, link=None)
    existing = _person_to_link(data)
    _check_unique_person_fields(email=data.email, external_id=data.employee_number, person=existing)
    team = _team_named(data.department)
    manager = _manager_with_id(data.manager_id)
    login = get_user_model()(**_login_fields(data))
    login.set_unusable_password()
    login.full_clean(exclude=["password"])
    login.save()
    if existing is not None:
        scim_user_update(person=existing, data=data, linking=login)
        return existing
    person = person_create(
        external_id=data.employee_number or _derived_employee_number(),
        first_name=data.first_name,
        last_name=data.last_name,
        email=data.email,
        title=data.title,
        team=team,
        manager=manager,
        user=login,
    )
    link = ScimUser(
        person=person,
        external_id=data.external_id,
        employee_number_unset=data.employee_number is None,
        active_unset=data.active is None,
        user_name_key=user_name_key,
    )
    link.full_clean(validate_constraints=False)  # the name key's: `_claim` checked, the database enforces
    link.save()
    return person


@transaction.atomic
def scim_user_update(*, person: Person, data: UserData, linking: AbstractBaseUser | None = None) -> list[str]:
    """Makes the person and their login what `data` states; returns the names of what changed. `linking`:
    the new login of a person HR synced, linked in the same write (one `person.updated`).

    An employeeNumber left out or removed changes no external id (HR may key the person by it): SCIM
    just reports none from then on. A title, department or manager left out clears it, as a PUT says,
    except when linking: a person HR synced keeps what the IdP's first request does not state. Raises
    ValidationError (see the module)."""
    login = linking or person.user
    link, _created = ScimUser.objects.get_or_create(person=person)
    link_values = {
        "external_id": data.external_id,
        "employee_number_unset": data.employee_number is None,
        "active_unset": data.active is None,
    }
    if linking is not None or data.user_name != login.username:  # a name kept was checked when it was set
        link_values["user_name_key"] = _check_user_name(data.user_name, login=login, link=link)
    _check_unique_person_fields(email=data.email, external_id=data.employee_number, person=person)
    keeps_team = person.team is not None and (data.department or "").strip().lower() == person.team.name.lower()
    fields = {
        "external_id": data.employee_number or person.external_id,
        "first_name": data.first_name,
        "last_name": data.last_name,
        "email": data.email,
    }
    if data.title or linking is None:
        fields["title"] = data.title
    if data.department or linking is None:
        fields["team"] = person.team if keeps_team else _team_named(data.department)
    if data.manager_id or linking is None:
        fields["manager"] = _manager_with_id(data.manager_id)
    if linking is not None:
        fields["user"] = linking
    changed = person_update(person=person, data=fields)
    changed += _save_changes(login, _login_fields(data), validate=True)
    changed += _save_changes(link, link_values, validate=True)
    return changed


def _save_changes(instance, values: dict, *, validate: bool = False) -> list[str]:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(instance, name, values[name])
    if validate:
        # Constraints are left to the database: the SCIM rows' name keys are checked by `_claim`.
        instance.full_clean(exclude=["password"], validate_constraints=False)
    update_fields = changed + (["updated_at"] if hasattr(instance, "updated_at") else [])
    instance.save(update_fields=update_fields)
    return changed


def scim_user_terminate(*, person: Person) -> Person:
    """Ends the person's employment and login (SCIM DELETE). People are never deleted: see `person_terminate`."""
    return person_terminate(person=person)


def _members(member_ids: tuple[str, ...]) -> list[AbstractBaseUser]:
    ids = {pk for pk in map(user_pk, member_ids) if pk is not None}
    people = {person.pk: person for person in provisioned_people().filter(pk__in=ids).select_related("user")}
    unknown = sorted(set(member_ids) - {user_id(pk) for pk in people})
    if unknown:
        raise ValidationError({"members": _("No User has the id %(ids)s.") % {"ids": ", ".join(unknown)}})
    return [person.user for person in people.values()]


def _check_group_name(name: str, *, group: Group | None, link: ScimGroup | None) -> str:
    """Refuses a name another group has, without case (409); returns the key the group's ScimGroup row
    stores, as `_check_user_name` does."""
    taken = _without_case(Group.objects.all(), "name", name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    message = _("A group called %(name)s exists.") % {"name": name}
    if taken.exists():
        raise unique_error(message)
    holders = ScimGroup.objects.select_related("group")
    return _claim(holders, "name_key", name, name_of=lambda link: link.group.name, keep=link, taken=message)


@transaction.atomic
def scim_group_create(*, data: GroupData) -> Group:
    """Creates an access group with those members. Raises ValidationError (see the module)."""
    name_key = _check_group_name(data.name, group=None, link=None)
    members = _members(data.member_ids)
    group = Group(name=data.name)
    group.full_clean()
    group.save()
    group.user_set.add(*members)
    link = ScimGroup(group=group, external_id=data.external_id, name_key=name_key)
    link.full_clean(validate_constraints=False)  # the name key's: `_claim` checked, the database enforces
    link.save()
    return group


@transaction.atomic
def scim_group_update(*, group: Group, data: GroupData) -> None:
    """Renames the group and sets its members. Only SCIM Users are added or removed: an API client's
    account or a superuser in the group stays. The platform's role groups keep their names."""
    link, _created = ScimGroup.objects.get_or_create(group=group)
    link_values = {"external_id": data.external_id}
    if data.name != group.name:
        if group.name in roles.ALL_ROLES:
            message = _("%(name)s is one of the platform's roles: it cannot be renamed.") % {"name": group}
            raise ValidationError({"displayName": ValidationError(message, code="mutability")})
        link_values["name_key"] = _check_group_name(data.name, group=group, link=link)
        group.name = data.name
        group.full_clean()
        group.save(update_fields=["name"])
    desired = {user.pk for user in _members(data.member_ids)}
    current = set(group.user_set.filter(pk__in=provisioned_people().values("user")).values_list("pk", flat=True))
    group.user_set.remove(*(current - desired))
    group.user_set.add(*(desired - current))
    _save_changes(link, link_values, validate=True)
    if current != desired and not _created:
        link.save(update_fields=["updated_at"])


@transaction.atomic
def scim_group_delete(*, group: Group) -> None:
    """Deletes an access group; the platform's role groups are refused (ValidationError, code "mutability")."""
    if group.name in roles.ALL_ROLES:
        raise ValidationError(
            _("%(name)s is one of the platform's roles: it cannot be deleted.") % {"name": group}, code="mutability"
        )
    group.delete()
