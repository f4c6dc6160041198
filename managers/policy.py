"""Who may see and change charters, the competency framework and hiring. Builds on `enablement.accounts.policy`
(the org tree).

Charters and competencies:

- sales leaders (and superusers) write charters: they see every role and every version, drafts included;
- everyone else sees only the roles they hold or held, and only published or retired versions of them;
- acknowledgements and metric readings are personal: a person sees their own, a leader those of the
  people in their sub-tree; recruiters and HR admins see none but their own (`scope_to_own_tree`);
- competencies and role requirements are read by every signed-in user and written by sales leaders.

Hiring:
- a requisition is worked by its recruiter and its hiring manager: they see and do everything on it;
  leaders above the hiring manager see it too; recruiters open requisitions, and sales leaders for
  their own sub-tree;
- an interviewer sees only the applications they interview on, and never another interviewer's
  scorecard nor the aggregate of an application until every scorecard of theirs for it is submitted
  (independence); the same holds for a leader above the hiring manager who interviews on the loop;
- drafts are read by their author alone; submitted scorecards by whoever may see the feedback.

Support:
- support ratings are personal, like readings (`scope_to_own_tree`);
- a support request is seen by its raiser, its owner and everyone above either, and read by HR admins;
  its owner moves it on, its raiser confirms the fix, and they and the leaders above them comment.

What a user may do is asked by the services (`enablement.accounts.policy.require(by, rule, …, message=…)`)
with the rules below and the refusals under them, so a page, the API and the admin refuse alike.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enablement.accounts import policy, roles
from enablement.accounts.policy import User
from enablement.models import Person
from enablement.org.tree import descendant_ids
from managers.models import (
    Acknowledgement,
    Application,
    Candidate,
    CharterVersion,
    Interview,
    MetricReading,
    Requisition,
    Role,
    Scorecard,
    SupportFunction,
    SupportRequest,
)

# What a refused user is told: one message per rule, whichever path (page, API, admin) asked.
CHARTERS_DENIED = _("Role charters are written by sales leaders.")
COMPETENCIES_DENIED = _("The competency framework is written by sales leaders.")
ANSWER_DENIED = _("Questions are answered by the sales leaders above the person who asked.")
REMIND_DENIED = _("Holders are reminded by the sales leaders above them.")
ACKNOWLEDGE_DENIED = _("A charter is acknowledged by the person asked to.")
READINGS_DENIED = _("Readings are recorded by the person who holds the role.")
OPEN_REQUISITIONS_DENIED = _("Requisitions are opened by recruiters and sales leaders.")
REQUISITION_DENIED = _("A requisition and its interview plan are changed by its recruiter or its hiring manager.")
CANDIDATES_DENIED = _(
    "Candidates are put on a requisition, interviewed, moved and decided on by its recruiter or its hiring manager."
)
ADD_CANDIDATES_DENIED = _("Candidates are added by recruiters, sales leaders and hiring managers.")
SCORECARD_DENIED = _("Only the interviewer fills in and amends their scorecard.")
RATE_SUPPORT_DENIED = _("Support is rated by the person who gets it: the holder of the charter.")
RAISE_SUPPORT_DENIED = _("Support requests are raised by managers and leaders.")
MOVE_SUPPORT_DENIED = _("Only the owner of a support request moves it on.")
CONFIRM_SUPPORT_DENIED = _("Only the person who raised a support request says whether it fixed the problem.")
COMMENT_SUPPORT_DENIED = _("Comments come from the raiser, the owner and the leaders above them.")


def can_manage_charters(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or policy.is_sales_leader(user))


def _current_roles(user: User) -> list[bool]:
    """For each role the user holds now, whether it has a published charter: one query per request, asked by
    both `holds_a_role` and `holds_a_charter_role` (the menu asks both on every page)."""
    if not hasattr(user, "_policy_current_roles"):
        person = policy.person_for(user)
        if person is None:
            user._policy_current_roles = []
        else:
            published = CharterVersion.objects.filter(role=OuterRef("role"), status=CharterVersion.Status.PUBLISHED)
            current = person.role_assignments.current().annotate(has_charter=Exists(published))
            user._policy_current_roles = list(current.values_list("has_charter", flat=True))
    return user._policy_current_roles


def holds_a_role(user: User) -> bool:
    return bool(_current_roles(user))


def holds_a_charter_role(user: User) -> bool:
    """Whether the user holds a role with a published charter: a manager's (sellers' roles carry a competency
    profile and no charter). My charter, and raising what blocks the work it sets out, are for them."""
    return any(_current_roles(user))


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


def can_remind(user: User, acknowledgement: Acknowledgement) -> bool:
    """A sales leader above the holder: the same people who may answer their questions."""
    return can_answer(user, acknowledgement)


def can_answer(user: User, acknowledgement: Acknowledgement) -> bool:
    """A sales leader above the person who asked (never the asker, even if they lead others)."""
    return (
        can_manage_charters(user)
        and not is_own(user, acknowledgement)
        and acknowledgements_visible_to(user).filter(pk=acknowledgement.pk).exists()
    )


def is_own(user: User, acknowledgement: Acknowledgement) -> bool:
    return acknowledgement.person.user_id == user.pk


def leader_remind_window() -> datetime.timedelta:
    return datetime.timedelta(days=settings.CHARTER_ACK_LEADER_REMIND_EVERY_DAYS)


def leader_remind_error(acknowledgement: Acknowledgement, now: datetime.datetime) -> str | None:
    """Why a leader cannot remind this holder now (None when they can): already acknowledged, a version no
    longer published, a holder who cannot sign in, or reminded within CHARTER_ACK_LEADER_REMIND_EVERY_DAYS."""
    person = acknowledgement.person
    if not acknowledgement.is_pending:
        return gettext("%(person)s already acknowledged this version.") % {"person": person}
    if acknowledgement.version.status != CharterVersion.Status.PUBLISHED:
        return gettext("This version is no longer the published one.")
    if person.user_id is None or not person.user.is_active:
        return gettext("%(person)s cannot sign in, so a reminder would not reach them.") % {"person": person}
    if acknowledgement.reminded_at and acknowledgement.reminded_at > now - leader_remind_window():
        again = timezone.localtime(acknowledgement.reminded_at + leader_remind_window())
        return gettext("%(person)s was already reminded on %(date)s; you can remind them again from %(again)s.") % {
            "person": person,
            "date": date_format(timezone.localtime(acknowledgement.reminded_at)),
            "again": date_format(again),
        }
    return None


def can_manage_competencies(user: User) -> bool:
    return can_manage_charters(user)


def is_person_asked(user: User, acknowledgement: Acknowledgement) -> bool:
    """Whether `user` is the person asked to acknowledge (nobody acknowledges for someone else)."""
    return user.is_authenticated and acknowledgement.person.user_id == user.pk


def records_own_readings(user: User, person: Person) -> bool:
    """Readings are personal: a user records their own."""
    return user.is_authenticated and person.user_id == user.pk


# Hiring


def can_open_requisitions(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or policy.is_recruiter(user) or policy.is_sales_leader(user))


def recruiters() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.RECRUITER)
        .order_by("first_name", "last_name", "username")
    )


def hiring_managers_for(user: User) -> QuerySet[Person]:
    """Whom a requisition opened by `user` may name as its hiring manager: anyone who manages people
    (and has a login), for a recruiter; oneself and one's sub-tree, for a sales leader."""
    candidates = Person.objects.current().filter(user__isnull=False, user__is_active=True)
    if user.is_superuser or policy.is_recruiter(user):
        managers = Q(direct_reports__isnull=False) | Q(user__groups__name=roles.SALES_MANAGER)
        return candidates.filter(pk__in=Person.objects.filter(managers).values("pk"))
    return policy.scope_to_own_tree(user, candidates, "pk")


def _managed_requisitions_condition(user: User) -> Q:
    person = policy.person_for(user)
    condition = Q(recruiter=user)
    if person is not None:
        condition |= Q(hiring_manager=person)
    return condition


def _tree_requisitions_condition(user: User) -> Q:
    person = policy.person_for(user)
    if person is None:
        return Q(pk__in=[])
    return Q(hiring_manager__in=descendant_ids(Person, "manager", person.pk))


def requisitions_managed_by(user: User) -> QuerySet[Requisition]:
    """Requisitions whose candidates `user` moves and decides on: as recruiter or hiring manager."""
    if not user.is_authenticated:
        return Requisition.objects.none()
    if user.is_superuser:
        return Requisition.objects.all()
    return Requisition.objects.filter(_managed_requisitions_condition(user))


def requisitions_visible_to(user: User) -> QuerySet[Requisition]:
    """Requisitions `user` works on or oversees (not those they only interview for)."""
    if not user.is_authenticated:
        return Requisition.objects.none()
    if user.is_superuser:
        return Requisition.objects.all()
    return Requisition.objects.filter(_managed_requisitions_condition(user) | _tree_requisitions_condition(user))


def can_manage_requisition(user: User, requisition: Requisition) -> bool:
    return requisitions_managed_by(user).filter(pk=requisition.pk).exists()


def own_interviews(user: User) -> QuerySet[Interview]:
    person = policy.person_for(user)
    if person is None:
        return Interview.objects.none()
    return Interview.objects.filter(interviewer=person)


def applications_visible_to(user: User) -> QuerySet[Application]:
    """Applications of the requisitions `user` works on or oversees, and those they interview on."""
    if not user.is_authenticated:
        return Application.objects.none()
    if user.is_superuser:
        return Application.objects.all()
    return Application.objects.filter(
        Q(requisition__in=requisitions_visible_to(user).values("pk"))
        | Q(pk__in=own_interviews(user).values("application"))
    )


def applications_with_feedback_for(user: User) -> QuerySet[Application]:
    """Applications whose submitted scorecards and aggregate `user` may read: every one they work on as
    recruiter or hiring manager; otherwise only once none of their own scorecards for it is a draft."""
    if not user.is_authenticated:
        return Application.objects.none()
    own = own_interviews(user).filter(application=OuterRef("pk"))
    pending = own.filter(scorecard__status=Scorecard.Status.DRAFT)
    submitted = own.filter(scorecard__status=Scorecard.Status.SUBMITTED)
    if user.is_superuser:
        return Application.objects.exclude(Exists(pending))
    managed = Q(requisition__in=requisitions_managed_by(user).values("pk"))
    overseen = Q(requisition__in=Requisition.objects.filter(_tree_requisitions_condition(user)).values("pk"))
    return Application.objects.filter(managed | (overseen | Exists(submitted)) & ~Exists(pending))


def can_see_feedback(user: User, application: Application) -> bool:
    return applications_with_feedback_for(user).filter(pk=application.pk).exists()


def candidates_visible_to(user: User) -> QuerySet[Candidate]:
    """Candidates of the applications a user sees; for those who open requisitions also the candidates
    not on any requisition yet (just added, waiting to be put on one)."""
    condition = Q(pk__in=applications_visible_to(user).values("candidate"))
    if can_open_requisitions(user):
        condition |= ~Exists(Application.objects.filter(candidate=OuterRef("pk")))
    return Candidate.objects.filter(condition)


def candidates_with_contact_for(user: User) -> QuerySet[Candidate]:
    """Candidates whose contact details (email, phone, ATS id, profile) the user may read: those on the
    requisitions they work on as recruiter or hiring manager, and, for recruiters, those not on any
    requisition yet. Interviewers and overseeing leaders read names only."""
    condition = Q(
        pk__in=Application.objects.filter(requisition__in=requisitions_managed_by(user).values("pk")).values(
            "candidate"
        )
    )
    if keeps_candidate_records(user):
        condition |= ~Exists(Application.objects.filter(candidate=OuterRef("pk")))
    return Candidate.objects.filter(condition)


def keeps_candidate_records(user: User) -> bool:
    """Recruiters (and superusers) keep the candidate records: they may put any candidate on a requisition
    and fill in details a record is missing."""
    return user.is_authenticated and (user.is_superuser or policy.is_recruiter(user))


def can_add_candidates(user: User) -> bool:
    return can_open_requisitions(user) or requisitions_managed_by(user).exists()


def fills_in_candidate_details(user: User, email: str) -> bool:
    """Whether what `user` types about a candidate found by `email` fills in the details the record is
    missing: recruiters keep the records; anyone else, only for a candidate they already see. Nothing is
    written onto a candidate the user may not see."""
    return keeps_candidate_records(user) or candidates_visible_to(user).filter(email__iexact=email).exists()


def scorecards_visible_to(user: User) -> QuerySet[Scorecard]:
    """A user's own scorecards, drafts included, and the submitted scorecards of the applications whose
    feedback they may read."""
    if not user.is_authenticated:
        return Scorecard.objects.none()
    own = Q(interview__in=own_interviews(user).values("pk"))
    others = Q(status=Scorecard.Status.SUBMITTED, interview__application__in=applications_with_feedback_for(user))
    return Scorecard.objects.filter(own | others)


def is_interviewer(user: User, scorecard: Scorecard) -> bool:
    person = policy.person_for(user)
    return person is not None and scorecard.interview.interviewer_id == person.pk


def can_see_hiring(user: User) -> bool:
    """Whether the Hiring menu shows: for recruiters, sales leaders, hiring managers and interviewers."""
    if can_open_requisitions(user):
        return True
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_policy_sees_hiring"):
        user._policy_sees_hiring = requisitions_visible_to(user).exists() or own_interviews(user).exists()
    return user._policy_sees_hiring


# Support


def _people_at_or_below(user: User) -> QuerySet[Person]:
    person = policy.person_for(user)
    if person is None:
        return Person.objects.none()
    return Person.objects.filter(Q(pk=person.pk) | Q(pk__in=descendant_ids(Person, "manager", person.pk)))


def support_requests_in_tree(user: User) -> QuerySet[SupportRequest]:
    """Requests the user raised or owns, and those raised by or owned by anyone below them."""
    if not user.is_authenticated:
        return SupportRequest.objects.none()
    people = _people_at_or_below(user).values("pk")
    return SupportRequest.objects.filter(Q(raised_by__in=people) | Q(owner__in=people))


def support_requests_visible_to(user: User) -> QuerySet[SupportRequest]:
    """A support request is seen by its raiser, its owner and everyone above either of them. HR admins (and
    the HR or ticketing systems acting as them) read every request: they are about tools, processes and
    partners, not about how someone performs. Superusers see all."""
    if not user.is_authenticated:
        return SupportRequest.objects.none()
    if policy.is_hr_admin(user):
        return SupportRequest.objects.all()
    return support_requests_in_tree(user)


def rates_own_support(user: User, person: Person) -> bool:
    """Support ratings are personal: a user rates the support of the charter they hold."""
    return user.is_authenticated and person.user_id is not None and person.user_id == user.pk


def can_raise_support_requests(user: User) -> bool:
    """Managers raise what blocks them: anyone who holds a charter role or leads people."""
    return holds_a_charter_role(user) or policy.manages_anyone(user)


def owns_support_request(user: User, request: SupportRequest) -> bool:
    """Its owner (a person, or the named owner of its function when it was raised) moves a request on."""
    person = policy.person_for(user)
    return person is not None and person.pk == request.owner_id


def raised_support_request(user: User, request: SupportRequest) -> bool:
    """Its raiser says whether the resolution fixed the problem."""
    person = policy.person_for(user)
    return person is not None and person.pk == request.raised_by_id


def can_comment_on_support_request(user: User, request: SupportRequest) -> bool:
    """The raiser, the owner and the leaders above either; an HR admin only reads."""
    return support_requests_in_tree(user).filter(pk=request.pk).exists()


def sees_support_across_tree(user: User) -> bool:
    """Sales leaders see the requests of their whole sub-tree; HR admins those of everyone."""
    return policy.is_hr_admin(user) or (policy.is_sales_leader(user) and policy.manages_anyone(user))


def has_support_page(user: User) -> bool:
    """Whether the Support requests menu shows: for raisers, owners, leaders and HR admins."""
    if policy.is_hr_admin(user) or can_raise_support_requests(user):
        return True
    return owns_support(user)


def answers_support_requests(user: User) -> bool:
    """Whose home is Support: someone who owns requests or a function and leads nobody (RevOps, Marketing...)."""
    return not policy.manages_anyone(user) and owns_support(user)


def owns_support(user: User) -> bool:
    """Whether the user owns a support request or a support function."""
    person = policy.person_for(user)
    if person is None:
        return False
    if not hasattr(user, "_policy_owns_support"):
        # One query on every page the menu is drawn on: owning a request or a function.
        owns = Exists(SupportRequest.objects.filter(owner=OuterRef("pk"))) | Exists(
            SupportFunction.objects.filter(owner=OuterRef("pk"))
        )
        user._policy_owns_support = Person.objects.filter(pk=person.pk).filter(owns).exists()
    return user._policy_owns_support
