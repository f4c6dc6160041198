"""Who may interview: the pool the scheduling service checks and the picker searches (issue 16: a picker
that searches as you type, never the whole org)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from enablement.models import Person
from managers.models import Interview, Requisition

# The interviewer picker's search answers at most this many people.
INTERVIEWER_MATCHES = 20


def interviewer_pool() -> QuerySet[Person]:
    """Everyone who may interview for a manager role: a current employee (on leave included) with an
    active login who leads people (managers and leaders; a seller or someone outside the sales teams does
    not interview managers). The scheduling service checks its interviewer against this, and the picker
    searches it."""
    leads = Person.objects.filter(manager=OuterRef("pk"))
    return Person.objects.current().filter(Exists(leads), user__is_active=True)


def interviewers_matching(query: str, limit: int = INTERVIEWER_MATCHES) -> list[Person]:
    """Possible interviewers whose name or title contains every word of `query`, by name. Not the email: the
    pool spans the whole org, and a hiring manager should not learn from it whose address is whose."""
    people = interviewer_pool()
    for word in query.split()[:5]:
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(title__icontains=word))
    return list(people.order_by("last_name", "first_name", "pk")[:limit])


def suggested_interviewers(requisition: Requisition, limit: int = INTERVIEWER_MATCHES) -> list[Person]:
    """Who the picker offers before any search: the hiring manager and the people who already interview
    for this requisition."""
    interviewed = Interview.objects.filter(application__requisition=requisition).values("interviewer")
    people = interviewer_pool().filter(Q(pk__in=interviewed) | Q(pk=requisition.hiring_manager_id))
    return list(people.order_by("last_name", "first_name", "pk")[:limit])
