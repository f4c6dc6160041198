"""Reads over the org tree. Each runs a fixed number of queries whatever the size of the org: the tree
is walked by a recursive CTE inside the database (SQLite and PostgreSQL both support WITH RECURSIVE).
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from enablement.accounts import policy
from enablement.accounts.policy import User
from enablement.models import Person, Team
from enablement.org.tree import ancestors, descendant_ids


def direct_reports_of(*, person: Person) -> QuerySet[Person]:
    return Person.objects.filter(manager=person).select_related("team")


def direct_reports_for(*, user: User, person: Person) -> QuerySet[Person]:
    """The person's direct reports that `user` may see (a recruiter sees a manager, not their team)."""
    return policy.people_visible_to(user).filter(manager=person).select_related("team")


def people_under(*, leader: Person, include_self: bool = False) -> QuerySet[Person]:
    """Everyone who reports to `leader` at any depth: one query when evaluated."""
    condition = Q(pk__in=descendant_ids(Person, "manager", leader.pk))
    if include_self:
        condition |= Q(pk=leader.pk)
    return Person.objects.filter(condition)


def teams_under(*, team: Team, include_self: bool = False) -> QuerySet[Team]:
    condition = Q(pk__in=descendant_ids(Team, "parent", team.pk))
    if include_self:
        condition |= Q(pk=team.pk)
    return Team.objects.filter(condition)


def manager_chain_of(*, person: Person) -> list[Person]:
    """The person's manager, their manager, and so on up to the top, nearest first: one query."""
    return ancestors(Person, "manager", person.pk)


def managers_under(*, leader: Person) -> QuerySet[Person]:
    """People in the leader's sub-tree (and the leader) who manage someone, with their team sizes."""
    return (
        people_under(leader=leader, include_self=True)
        .filter(direct_reports__isnull=False)
        .select_related("team", "manager")
        .annotate(
            direct_report_count=Count(
                "direct_reports",
                filter=~Q(direct_reports__employment_status=Person.EmploymentStatus.TERMINATED),
                distinct=True,
            )
        )
        .distinct()
    )


def headcount_by_status(people: QuerySet[Person]) -> dict[str, int]:
    """How many of `people` are in each employment status, every status present (one query)."""
    counts = dict(people.order_by().values_list("employment_status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Person.EmploymentStatus.values}


def person_directory_for(
    *, user: User, search: str = "", status: str = "", team: Team | None = None, leads: bool = False
) -> QuerySet[Person]:
    """The people `user` may see, filtered for the directory (`leads`: only those with someone still employed
    reporting to them), with what the list shows."""
    people = policy.people_visible_to(user).select_related("team", "manager")
    if search:
        for word in search.split():
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(title__icontains=word)
                | Q(external_id__iexact=word)
            )
    if status:
        people = people.filter(employment_status=status)
    if team is not None:
        people = people.filter(team__in=teams_under(team=team, include_self=True))
    if leads:
        people = people.filter(Exists(Person.objects.current().filter(manager=OuterRef("pk"))))
    return people
