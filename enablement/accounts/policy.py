"""Who may see and change what: the one place that decides.

Visibility follows the org tree. Everyone sees themselves and everyone who reports to them at any depth
(a manager their team, a leader their whole sub-tree); recruiters also see the people who manage
others (the hiring managers they work with); HR admins and superusers see everyone. Only HR admins
change people and teams. Other apps scope their querysets through `scope_to_people_visible`.

Facts about a user are cached on the user object, so a request asks each question of the database once.
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from enablement.accounts import roles
from enablement.models import Person, Team
from enablement.org.tree import descendant_ids

User = AbstractBaseUser | AnonymousUser


def require(user: User | None, rule: Callable[..., bool], *args, message: str) -> None:
    """What a service asks before it changes anything on `user`'s behalf: PermissionDenied(message), which
    pages and the API answer with a 403, unless `rule(user, *args)` holds. `user=None` is the platform
    itself (a signal receiver, a sweep, the demo): there is nobody to check."""
    if user is not None and not rule(user, *args):
        raise PermissionDenied(message)


def role_names(user: User) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_policy_role_names"):
        user._policy_role_names = frozenset(user.groups.values_list("name", flat=True))
    return user._policy_role_names


def has_role(user: User, role: str) -> bool:
    return role in role_names(user)


def is_hr_admin(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, roles.HR_ADMIN))


def is_api_client(user: User) -> bool:
    """Whether `user` is the account an API client acts as: a machine, never a person signing in. The
    relation, not the `api:` username, decides: a username can be chosen by a sync or SCIM."""
    return user.is_authenticated and hasattr(user, "api_client")


def can_manage_api_clients(user: User) -> bool:
    return is_hr_admin(user) and not is_api_client(user)


def is_sales_leader(user: User) -> bool:
    return has_role(user, roles.SALES_LEADER)


def is_recruiter(user: User) -> bool:
    return has_role(user, roles.RECRUITER)


def person_for(user: User) -> Person | None:
    """The org record of the signed-in user, or None for an account not linked to anyone."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def manages_anyone(user: User) -> bool:
    person = person_for(user)
    if person is None:
        return False
    if not hasattr(user, "_policy_manages_anyone"):
        user._policy_manages_anyone = Person.objects.current().filter(manager=person).exists()
    return user._policy_manages_anyone


def _visible_people_condition(user: User) -> Q | None:
    """None means everyone; an empty Q() is never returned (it would also mean everyone)."""
    if is_hr_admin(user):
        return None
    person = person_for(user)
    condition = Q(pk__in=[])
    if person is not None:
        condition |= Q(pk=person.pk) | Q(pk__in=descendant_ids(Person, "manager", person.pk))
    if is_recruiter(user):
        condition |= Q(pk__in=Person.objects.filter(direct_reports__isnull=False).values("pk"))
    return condition


def people_visible_to(user: User) -> QuerySet[Person]:
    if not user.is_authenticated:
        return Person.objects.none()
    condition = _visible_people_condition(user)
    return Person.objects.all() if condition is None else Person.objects.filter(condition)


def teams_visible_to(user: User) -> QuerySet[Team]:
    """Teams with someone in them the user may see (every team for HR admins)."""
    if not user.is_authenticated:
        return Team.objects.none()
    if _visible_people_condition(user) is None:
        return Team.objects.all()
    return Team.objects.filter(pk__in=people_visible_to(user).filter(team__isnull=False).values("team"))


def scope_to_own_tree(user: User, queryset: QuerySet, person_field: str) -> QuerySet:
    """Narrows a queryset of personal records (ratings, performance, development) to the user's own and
    those of everyone below them. Unlike `scope_to_people_visible`, being a recruiter or HR admin adds
    nobody: seeing who someone is does not mean seeing how they are doing. Superusers see all."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    person = person_for(user)
    if person is None:
        return queryset.none()
    tree = Q(pk=person.pk) | Q(pk__in=descendant_ids(Person, "manager", person.pk))
    return queryset.filter(**{f"{person_field}__in": Person.objects.filter(tree).values("pk")})


def scope_to_people_visible(user: User, queryset: QuerySet, person_field: str) -> QuerySet:
    """Narrows any queryset to rows whose `person_field` is someone `user` may see."""
    if not user.is_authenticated:
        return queryset.none()
    if _visible_people_condition(user) is None:
        return queryset
    return queryset.filter(**{f"{person_field}__in": people_visible_to(user).values("pk")})


def can_view_person(user: User, person: Person) -> bool:
    return people_visible_to(user).filter(pk=person.pk).exists()


def can_change_person(user: User, person: Person | None = None) -> bool:
    return is_hr_admin(user)


def can_browse_people(user: User) -> bool:
    """Whether the people directory shows the user more than their own record."""
    return is_hr_admin(user) or is_recruiter(user) or manages_anyone(user)
