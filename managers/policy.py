"""Who may see and change charters. Builds on `enablement.policy` (the org tree) and adds the role rules:

- sales leaders (and superusers) write charters: they see every role and every version, drafts included;
- everyone else sees only the roles they hold or held, and only published or retired versions of them;
- acknowledgements and metric readings are personal: a person sees their own, a leader those of the
  people in their sub-tree; recruiters and HR admins see none but their own (`scope_to_own_tree`).
"""

from django.db.models import Q, QuerySet

from enablement import policy
from enablement.policy import User
from managers.models import Acknowledgement, CharterVersion, MetricReading, Role


def can_manage_charters(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or policy.is_sales_leader(user))


def holds_a_role(user: User) -> bool:
    person = policy.person_for(user)
    if person is None:
        return False
    if not hasattr(user, "_policy_holds_a_role"):
        user._policy_holds_a_role = person.role_assignments.filter(ended_on__isnull=True).exists()
    return user._policy_holds_a_role


def has_charter_to_acknowledge(user: User) -> bool:
    person = policy.person_for(user)
    return (
        person is not None
        and Acknowledgement.objects.filter(
            person=person, acknowledged_at__isnull=True, version__status=CharterVersion.Status.PUBLISHED
        ).exists()
    )


def roles_visible_to(user: User) -> QuerySet[Role]:
    if can_manage_charters(user):
        return Role.objects.all()
    person = policy.person_for(user)
    if person is None:
        return Role.objects.none()
    return Role.objects.filter(pk__in=person.role_assignments.values("role"))


def versions_visible_to(user: User) -> QuerySet[CharterVersion]:
    if can_manage_charters(user):
        return CharterVersion.objects.all()
    return CharterVersion.objects.filter(
        ~Q(status=CharterVersion.Status.DRAFT), role__in=roles_visible_to(user).values("pk")
    )


def acknowledgements_visible_to(user: User) -> QuerySet[Acknowledgement]:
    return policy.scope_to_own_tree(user, Acknowledgement.objects.all(), "person")


def readings_visible_to(user: User) -> QuerySet[MetricReading]:
    return policy.scope_to_own_tree(user, MetricReading.objects.all(), "person")


def can_answer(user: User, acknowledgement: Acknowledgement) -> bool:
    """A sales leader above the person who asked (never the asker, even if they lead others)."""
    return (
        can_manage_charters(user)
        and acknowledgement.person.user_id != user.pk
        and acknowledgements_visible_to(user).filter(pk=acknowledgement.pk).exists()
    )
