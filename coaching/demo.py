"""Demo coaching on top of the demo org (`enablement.org.demo`), the roles the charter demo gives the twelve
frontline managers (`managers.demo`) and what each role requires (`managers.demo_hiring`): the library
of development activities, assessments of the managers from their director, themselves and a peer (some
with large gaps, one with none), two self-assessments asked for and not yet filled in, an active plan
for most managers with their director as coach (goals from their gaps, tasks done, in progress, to do,
overdue and cancelled, a few 1:1s with next steps), one manager with no plan and one with a draft, and
a manager coaching one of their sellers towards a team-lead role.

Built only through the services, keyed by what a second run can find again (an assessment's person,
source and assessor; a request's person and who asked; a plan's coachee and title), so running it twice
changes nothing. A plan found again is left as it is, however people worked it in the app since. Dates
are relative to the day the demo first runs: plans started weeks ago, so some tasks are overdue.
"""

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from coaching.activity_library import activities_seed
from coaching.models import (
    OPEN_TASK_STATES,
    ActivityKind,
    Assessment,
    CoachingPlan,
    CoachingTask,
    DevelopmentActivity,
    Goal,
)
from coaching.services.assessments import LevelInput, assessment_record, assessment_request
from coaching.services.plans import (
    NextStep,
    goal_add,
    goal_update,
    plan_activate,
    plan_create,
    plan_start_from_gaps,
    session_record,
    task_add,
    task_complete,
    task_set_state,
)
from enablement.models import Person
from managers.demo_hiring import REQUIREMENTS
from managers.models import Competency, Role
from managers.services.competencies import competencies_seed, role_requirements_save

BUSINESS, CROSS_FUNCTIONAL, CUSTOMER = "business-acumen", "cross-functional-collaboration", "customer-centricity"
COACHING, STORYTELLING, PIPELINE = "coaching", "storytelling", "pipeline-and-forecast-discipline"
DATA, TALENT, CHANGE = "data-driven-decisions", "talent-development", "change-and-ai-adoption"
RESILIENCE, DIALOGUE, MENTORSHIP = "resilience", "open-dialogue", "mentorship"

LEADER, SELF, PEER = Assessment.Source.LEADER, Assessment.Source.SELF, Assessment.Source.PEER
DONE, IN_PROGRESS, TODO, CANCELLED = (
    CoachingTask.State.DONE, CoachingTask.State.IN_PROGRESS, CoachingTask.State.TODO, CoachingTask.State.CANCELLED
)  # fmt: skip
COACH, COACHEE = "coach", "coachee"
DIRECTORS = ("director1", "director2")


@dataclass(frozen=True)
class Rated:
    key: str
    level: int
    evidence: str


@dataclass(frozen=True)
class AssessmentSpec:
    person: str  # username
    source: str
    assessor: str  # username
    days_ago: int
    summary: str
    ratings: tuple[Rated, ...]


@dataclass(frozen=True)
class TaskSpec:
    title: str
    kind: str
    due: int  # days from today; negative is past
    state: str = TODO
    assignee: str = COACHEE
    description: str = ""


@dataclass(frozen=True)
class SessionSpec:
    days_ago: int
    notes: str
    next_steps: tuple[TaskSpec, ...] = ()


@dataclass(frozen=True)
class PlanSpec:
    coachee: str  # username
    coach: str  # username
    title: str
    started: int  # days ago
    # States given, in due-date order, to the tasks the plan took from the library (a plan from the gaps).
    library_states: tuple[str, ...] = ()
    # Goals set by hand (a plan from scratch): (title, competency key or "", target level, due in days).
    goals: tuple[tuple[str, str, int, int], ...] = ()
    tasks: tuple[TaskSpec, ...] = ()
    sessions: tuple[SessionSpec, ...] = ()
    achieved: dict[str, str] = field(default_factory=dict)  # competency key -> progress note
    active: bool = True


def _r(key: str, level: int, evidence: str) -> Rated:
    return Rated(key, level, evidence)


# Director assessments rate every competency of the role; self-assessments and peers rate some.
ASSESSMENTS: tuple[AssessmentSpec, ...] = (
    # Enterprise (director1: Marcus Chen)
    AssessmentSpec("manager1", LEADER, "director1", 62,
        "A role-model coach whose team call-review hour other managers now copy. The next step is the commercial "
        "side of enterprise deals.",
        (_r(COACHING, 4, "Runs a weekly team call-review hour with a shared rubric; two peer managers adopted it "
            "this quarter, and both ramping sellers reached certified pitch a week early."),
         _r(BUSINESS, 2, "Prices deals well within the bands, but the Halvorsen business case went to the CFO "
             "without a payback figure; the deal slipped a quarter waiting for one."),
         _r(CROSS_FUNCTIONAL, 3, "Books SE time with a written deal brief and ran the joint plan for the Norrland "
             "Energy renewal with legal and customer success."),
         _r(PIPELINE, 3, "Forecast landed within 6% two quarters running; commit deals have a named economic buyer."),
         _r(CUSTOMER, 3, "Declined to push the Oakridge deal at quarter end when the customer's rollout plan was not "
             "ready; it closed larger the next month."),
         _r(STORYTELLING, 2, "Team meetings open with a win story; forecast updates still read as lists of deals."))),
    AssessmentSpec("manager1", SELF, "manager1", 68,
        "I coach well; I want to get better at building the business case with my sellers.",
        (_r(COACHING, 4, "My team's call-review hour is now used by two other teams."),
         _r(BUSINESS, 2, "I leave the CFO conversation to the seller and the SE; I should be in it."),
         _r(PIPELINE, 3, "Two quarters within 10% of my call."))),
    AssessmentSpec("manager2", LEADER, "director1", 58,
        "Solid coach and customer advocate. Deals above $250k stall because partners come in late, and the "
        "forecast relies on seller optimism.",
        (_r(COACHING, 3, "1:1s are built around one recorded call and end with a practice commitment; protected "
            "them in quarter-end week."),
         _r(BUSINESS, 3, "Walked away from a 40% discount at quarter end and explained the margin effect to the "
             "team."),
         _r(CROSS_FUNCTIONAL, 2, "Brought solutions engineering into the Lakeshore Health deal two weeks before "
             "the proposal was due; the SE lead escalated the late request."),
         _r(PIPELINE, 2, "Q2 commit missed by 18%: three deals stayed in commit with no confirmed signer."),
         _r(CUSTOMER, 3, "Asks in every deal review what the customer is solving and how they measure success."),
         _r(STORYTELLING, 2, "Clear situation-insight-ask structure in the forecast call."))),
    AssessmentSpec("manager2", PEER, "manager1", 40,
        "Peer view after co-running two deal reviews.",
        (_r(CROSS_FUNCTIONAL, 2, "In our joint deal review the SE heard about the security questionnaire for the "
            "first time; a written brief would have saved a week."),
         _r(COACHING, 3, "Her sellers come to the review having already self-assessed their calls."))),
    AssessmentSpec("manager3", LEADER, "director1", 55,
        "Attainment has fallen three months running. The forecast is the biggest problem, and coaching has "
        "turned into deal-taking.",
        (_r(COACHING, 2, "1:1s turned into pipeline status updates in the last two months; joined four customer "
            "calls and took over two of them."),
         _r(BUSINESS, 2, "Knows the price book, but could not say what the Fjordline deal is worth to the customer "
             "beyond licence cost."),
         _r(CROSS_FUNCTIONAL, 2, "Works well with customer success on handoffs; legal saw the Meridian contract "
             "three days before the quarter closed."),
         _r(PIPELINE, 1, "Called 92% in week 8 and landed at 71%; four commit deals had no next step or close "
             "plan in Salesforce."),
         _r(CUSTOMER, 3, "Sellers describe the customer's problem well in deal reviews; the team's NPS at "
             "handoff is the region's best."),
         _r(STORYTELLING, 2, "Explains the team's plan clearly when asked; rarely volunteers the 'so what'."))),
    AssessmentSpec("manager3", SELF, "manager3", 60,
        "A hard quarter. I think the forecast miss came from two late slips, not the process.",
        (_r(PIPELINE, 3, "We review the pipeline every week."),
         _r(COACHING, 3, "I spend a lot of time with my sellers on their deals."),
         _r(BUSINESS, 2, "I want to understand deal economics better."))),
    AssessmentSpec("manager4", LEADER, "director1", 57,
        "Meets or exceeds the role on every competency; ready for a stretch role. Ask them to teach the business "
        "case to the other managers.",
        (_r(COACHING, 3, "Diagnoses skill versus will before choosing how to coach; two sellers promoted this "
            "year."),
         _r(BUSINESS, 4, "Built the value-case template the region now uses; walked the Baltic Freight CFO "
             "through payback in their own numbers."),
         _r(CROSS_FUNCTIONAL, 3, "Negotiated dedicated SE coverage for the three strategic accounts against a "
             "shared renewal target."),
         _r(PIPELINE, 3, "Forecast within 4% for three quarters; moves deals out of commit on evidence."),
         _r(CUSTOMER, 4, "Runs quarterly customer advisory calls whose findings product now tracks."),
         _r(STORYTELLING, 3, "Presented the strategic-accounts plan to the CSO in ten minutes and got the "
             "headcount."))),
    AssessmentSpec("manager4", SELF, "manager4", 61,
        "Strong quarter. I would like to grow towards a director role.",
        (_r(BUSINESS, 3, "Comfortable with deal economics and customer financials."),
         _r(STORYTELLING, 3, "Good with executives; I could do more with written stories."))),
    AssessmentSpec("manager5", LEADER, "director1", 50,
        "Runs a disciplined public-sector pipeline. Coaching is mostly telling, and the team sells features to "
        "buyers who need outcomes.",
        (_r(COACHING, 2, "Gives sellers the answer rather than asking; no practice commitments recorded in 1:1s."),
         _r(BUSINESS, 3, "Understands procurement budgets and multi-year terms better than anyone in the team."),
         _r(CROSS_FUNCTIONAL, 3, "Weekly sync with the bid team and legal; tenders go out complete and on time."),
         _r(PIPELINE, 3, "Forecast within 8%; every tender has a decision date and a named evaluator."),
         _r(CUSTOMER, 2, "Deal reviews discuss the tender requirements, rarely the agency's outcome or how it is "
             "measured."),
         _r(STORYTELLING, 2, "Team updates are clear and structured."))),
    AssessmentSpec("manager6", LEADER, "director1", 48,
        "A strong partner to the clinical teams and a steady pipeline, held back by a weak business case and "
        "updates nobody remembers.",
        (_r(COACHING, 3, "Tailors coaching per seller; role-played discovery with the new hire twice a week."),
         _r(BUSINESS, 2, "The St. Aldric proposal compared licence prices, not the cost of the clinical workflow "
             "we replace; procurement chose on price."),
         _r(CROSS_FUNCTIONAL, 3, "Brings clinical specialists and legal in early with a written deal plan."),
         _r(PIPELINE, 3, "Clean CRM hygiene; forecast within 9%."),
         _r(CUSTOMER, 3, "Knows each hospital's buying committee and adapts to it."),
         _r(STORYTELLING, 1, "The QBR update to the CSO ran 25 minutes over and ended without an ask."))),
    # Commercial (director2: Priya Raman)
    AssessmentSpec("manager7", LEADER, "director2", 56,
        "High-performing team and a good coach. Decisions rest on instinct more than the numbers.",
        (_r(COACHING, 3, "Protects 1:1s in quarter-end weeks; role-plays objection handling with each new hire."),
         _r(PIPELINE, 3, "Weekly MEDDICC review per seller; forecast within 7%."),
         _r(DATA, 2, "Looks at the team's win rate but not per seller or per stage; the coaching focus comes from "
             "gut feel."),
         _r(TALENT, 3, "Ramped two hires to a first deal in under 45 days on a written 30-60-90 plan."),
         _r(CHANGE, 3, "First team to use AI call summaries every day; checks a sample for accuracy each week."),
         _r(RESILIENCE, 2, "Kept the team's rituals running through the territory change."),
         _r(DIALOGUE, 2, "Runs a monthly lost-deal retro."))),
    AssessmentSpec("manager7", SELF, "manager7", 63,
        "I want to use the data we have better.",
        (_r(DATA, 2, "I know where the team stands, not where each seller loses deals."),
         _r(CHANGE, 3, "The team adopted call summaries without a push."))),
    AssessmentSpec("manager8", LEADER, "director2", 52,
        "Reliable process, but the team does not speak up, and coaching and ramp are thin.",
        (_r(COACHING, 2, "Reviews calls only when a deal is at risk; no practice commitments in 1:1s."),
         _r(PIPELINE, 3, "Forecast within 9%, CRM hygiene good."),
         _r(DATA, 3, "Found that one seller loses most deals between demo and proposal and made it their focus."),
         _r(TALENT, 2, "The last hire had no written ramp plan and took 80 days to a first deal."),
         _r(CHANGE, 2, "Uses the AI tools personally and expects the team to."),
         _r(RESILIENCE, 2, "Stayed calm through the missed March and re-planned coverage."),
         _r(DIALOGUE, 1, "In the team pulse, sellers say they hear about changes last; nobody raised the "
             "Brightline churn risk until it was lost."))),
    AssessmentSpec("manager8", PEER, "manager7", 38,
        "Peer view from the joint onboarding cohort.",
        (_r(TALENT, 2, "His new hire joined my cohort sessions without a plan of her own for weeks 3 to 8."),
         _r(DIALOGUE, 2, "Open with peers; his team is quieter with him."))),
    AssessmentSpec("manager9", SELF, "manager9", 46,
        "Self-assessment ahead of my first review with Priya.",
        (_r(COACHING, 3, "Coaching hours per seller are the region's highest."),
         _r(PIPELINE, 2, "I trust my sellers' close dates more than I should."),
         _r(DATA, 3, "I review conversion per seller weekly."),
         _r(TALENT, 3, "Both new hires ramped on plan."),
         _r(CHANGE, 1, "I have not used the AI assistants yet, and neither has most of my team."),
         _r(RESILIENCE, 3, "Steady through the reorg."),
         _r(DIALOGUE, 3, "The team raises risks in our Monday stand-up."))),
    AssessmentSpec("manager9", PEER, "manager10", 35,
        "Peer view after the joint pipeline review.",
        (_r(PIPELINE, 2, "Two of his commit deals in the joint review had no confirmed signer."),
         _r(COACHING, 3, "Asks good questions of sellers instead of answering for them."))),
    AssessmentSpec("manager10", LEADER, "director2", 60,
        "Attainment has fallen for two quarters and the team is tired. The first priorities are pipeline "
        "discipline and steadying the team.",
        (_r(COACHING, 2, "1:1s happen but are status updates; joined calls to close rather than to coach."),
         _r(PIPELINE, 2, "Landed at 78% against a 95% call; slipped deals were not moved out of commit until "
             "the last week."),
         _r(DATA, 2, "Reports the numbers accurately but does not use them to decide where to coach."),
         _r(TALENT, 2, "Two sellers on performance plans without written goals."),
         _r(CHANGE, 1, "Paused the AI call-summary rollout in the team after one bad summary reached a customer."),
         _r(RESILIENCE, 1, "After the lost Copperfield renewal, cancelled the team meeting for two weeks; "
             "sellers said in the pulse they did not know the plan."),
         _r(DIALOGUE, 2, "Listens in 1:1s; the team's lost-deal retro stopped in spring."))),
    AssessmentSpec("manager11", LEADER, "director2", 45,
        "Process is strong; coaching time is the lowest in the region and the team's skills have stalled.",
        (_r(COACHING, 2, "0.75 coaching hours per seller a month; 1:1s are cancelled first when inbound volume "
            "peaks."),
         _r(PIPELINE, 3, "Tight inbound qualification; forecast within 5%."),
         _r(DATA, 3, "Built the inbound speed-to-lead dashboard the other SMB team uses."),
         _r(TALENT, 3, "Ramp plans with weekly checkpoints for every hire."),
         _r(CHANGE, 2, "Rolled out the AI prospecting assistant with clear expectations."),
         _r(RESILIENCE, 2, "Even-tempered through the lead-volume drop in May."),
         _r(DIALOGUE, 2, "Sellers say they can disagree with him."))),
    AssessmentSpec("manager12", PEER, "manager11", 30,
        "Peer view from running the SMB onboarding cohort together.",
        (_r(TALENT, 2, "Three new starters in one quarter; their ramp plans were copied from a template and not "
            "checked weekly."),
         _r(COACHING, 3, "Good at role-play with new hires once he makes the time."))),
)  # fmt: skip

# Self-assessments directors asked for and that are still to be filled in: (person, asked by, due in days).
REQUESTS = (
    (
        "manager11",
        "director2",
        5,
        "Before our mid-quarter review: rate yourself against the anchors, with an example for each.",
    ),
    ("manager12", "director2", 9, "So we can activate your plan: your own view on each competency, with evidence."),
)

PLANS: tuple[PlanSpec, ...] = (
    PlanSpec("manager1", "director1", "Enterprise business case", 40, (DONE, IN_PROGRESS),
             sessions=(SessionSpec(19, "Reviewed the Halvorsen business case together. Payback is now in the "
                                   "customer's numbers; the CFO meeting is booked. Agreed Farid joins the next two "
                                   "CFO conversations himself.",
                                   (TaskSpec("Join the Halvorsen CFO meeting with the seller", ActivityKind.PRACTICE,
                                             9, IN_PROGRESS),
                                    TaskSpec("Send Farid the region's value-case template", ActivityKind.READING, -16,
                                             DONE, COACH))),)),
    PlanSpec("manager2", "director1", "Partners in early, commit on evidence", 34, (DONE, TODO, DONE, TODO),
             tasks=(TaskSpec("Agree an SE engagement checklist with the SE lead", ActivityKind.ONE_ON_ONE, 4),)),
    PlanSpec("manager3", "director1", "Forecast recovery and stronger deals", 52,
             (DONE, TODO, TODO, CANCELLED, IN_PROGRESS, TODO),
             sessions=(
                 SessionSpec(38, "Went through the week-8 call deal by deal. Four commit deals had no next step. "
                             "Pedro agreed to run MEDDPICC inspection before every forecast call.",
                             (TaskSpec("Move every commit deal without a confirmed signer to best case",
                                       ActivityKind.PRACTICE, -31, DONE),
                              TaskSpec("Share the inspection checklist with the team", ActivityKind.PRACTICE, -24,
                                       TODO))),
                 SessionSpec(12, "Forecast call this week landed within 10%. Coaching still slips: two 1:1s "
                             "cancelled for deal work. Agreed to protect Tuesday afternoons for call reviews.",
                             (TaskSpec("Block Tuesday afternoons for call reviews for the rest of the quarter",
                                       ActivityKind.PRACTICE, -8, TODO),
                              TaskSpec("Listen to two of Pedro's team's calls and compare notes",
                                       ActivityKind.ONE_ON_ONE, 6, TODO, COACH))),
             )),
    PlanSpec("manager5", "director1", "From telling to coaching", 27, (DONE, TODO, IN_PROGRESS, TODO),
             tasks=(TaskSpec("Outcome-based selling workshop for public sector", ActivityKind.TRAINING, 12, CANCELLED,
                             description="Cancelled: enablement moved the workshop to next quarter."),)),
    PlanSpec("manager6", "director1", "Value cases for healthcare buyers", 20, (IN_PROGRESS, TODO, TODO, TODO)),
    PlanSpec("manager7", "director2", "Coaching from the numbers", 45, (DONE, DONE),
             achieved={DATA: "Stage conversion per seller is now reviewed every Monday; each seller's coaching "
                             "focus comes from it."},
             tasks=(TaskSpec("Present the per-seller conversion review to the other managers", ActivityKind.PRACTICE,
                             10),)),
    PlanSpec("manager8", "director2", "Coaching, ramp and a team that speaks up", 38,
             (DONE, IN_PROGRESS, TODO, TODO, DONE, TODO),
             sessions=(SessionSpec(9, "Talked through the pulse results: the team hears about changes last. Oscar "
                                   "will share the territory plan with the team before it is final and ask for "
                                   "objections.",
                                   (TaskSpec("Share the draft territory plan with the team and collect objections",
                                             ActivityKind.PRACTICE, 5),)),)),
    PlanSpec("manager9", "director2", "Forecast rigour and AI in the team", 24, (IN_PROGRESS, TODO, DONE, TODO)),
    PlanSpec("manager10", "director2", "Back on plan: coaching, data and pipeline", 48,
             (DONE, DONE, TODO, CANCELLED, TODO, IN_PROGRESS),
             sessions=(
                 SessionSpec(33, "Debriefed the Copperfield loss. Ines restarts the Monday team meeting and the "
                             "monthly lost-deal retro.",
                             (TaskSpec("Restart the Monday team meeting", ActivityKind.PRACTICE, -26, DONE),
                              TaskSpec("Run the first lost-deal retro since spring", ActivityKind.PRACTICE, -12,
                                       TODO))),
                 SessionSpec(5, "Pipeline review: three deals moved out of commit early, which is progress. The "
                             "retro has still not happened; agreed Priya joins the first one.",
                             (TaskSpec("Join Ines's lost-deal retro", ActivityKind.ONE_ON_ONE, 7, TODO, COACH),)),
             )),
    PlanSpec("manager11", "director2", "Protected coaching time", 15, (TODO, TODO),
             tasks=(TaskSpec("Put a recurring weekly 1:1 with each seller in the calendar", ActivityKind.ONE_ON_ONE,
                             0),)),
    # A draft: Priya waits for Samuel's self-assessment before activating it.
    PlanSpec("manager12", "director2", "Ramp the new starters", 0, active=False),
    # A manager coaching one of their sellers: Grace Petrov wants to lead a team.
    PlanSpec("seller2", "manager1", "Team lead readiness", 30,
             goals=(("Lead the team's weekly call review twice", COACHING, 2, 30),
                    ("Mentor the next new hire through their first 60 days", MENTORSHIP, 2, 60)),
             tasks=(TaskSpec("Read The Coaching Habit (Michael Bungay Stanier)", ActivityKind.READING, -9, DONE),
                    TaskSpec("Co-run the call review with Farid", ActivityKind.SHADOWING, -2, DONE),
                    TaskSpec("Run the call review on your own", ActivityKind.PRACTICE, 12, TODO),
                    TaskSpec("Write the 30-60-90 plan for the new hire", ActivityKind.PRACTICE, -3, IN_PROGRESS)),
             sessions=(SessionSpec(8, "Grace co-ran her first call review; strong at picking the clip, less at "
                                   "letting the seller find the gap. Next time she asks before she tells.",
                                   (TaskSpec("Ask the hiring team to add Grace to the next onboarding cohort",
                                             ActivityKind.MENTORSHIP, 14, TODO, COACH),)),)),
)  # fmt: skip


@transaction.atomic
def seed_coaching_demo() -> list[str]:
    """Builds the demo coaching on the demo org, its roles and their requirements, and returns a summary to
    print. Idempotent."""
    competencies_seed()
    activities_seed()
    competencies = Competency.objects.in_bulk(field_name="key")
    people = _people()
    _ensure_requirements(competencies)
    today = timezone.localdate()
    for spec in ASSESSMENTS:
        _seed_assessment(spec, people, competencies, today)
    for username, asked_by, due, note in REQUESTS:
        _seed_request(people.get(username), people.get(asked_by), today + datetime.timedelta(days=due), note)
    for spec in PLANS:
        _seed_plan(spec, people, competencies, today)
    return _summary(people)


def _people() -> dict[str, Person]:
    usernames = set(DIRECTORS) | {spec.person for spec in ASSESSMENTS} | {spec.assessor for spec in ASSESSMENTS}
    usernames |= {spec.coachee for spec in PLANS} | {spec.coach for spec in PLANS}
    found = Person.objects.filter(user__username__in=usernames).select_related("user", "manager")
    return {person.user.username: person for person in found if not person.is_terminated}


def _ensure_requirements(competencies: Mapping[str, Competency]) -> None:
    """What each role requires comes from the hiring demo; a role left without any (the hiring step did not
    run) gets the same, so the gaps exist. A role with requirements keeps them."""
    for role in Role.objects.filter(code__in=REQUIREMENTS, requirements__isnull=True).distinct():
        rows = [
            {"competency": competencies[key], "required_level": level, "weight": weight}
            for key, level, weight in REQUIREMENTS[role.code]
            if key in competencies
        ]
        role_requirements_save(role=role, requirements=rows, by=None)


def _seed_assessment(
    spec: AssessmentSpec, people: Mapping[str, Person], competencies: Mapping[str, Competency], today: datetime.date
) -> None:
    person, assessor = people.get(spec.person), people.get(spec.assessor)
    if person is None or assessor is None:
        return
    exists = Assessment.objects.filter(
        person=person, source=spec.source, assessor=assessor.user, status=Assessment.Status.SUBMITTED
    ).exists()
    if exists:
        return
    ratings = {
        competencies[rated.key]: LevelInput(Decimal(rated.level), rated.evidence)
        for rated in spec.ratings
        if rated.key in competencies
    }
    assessed_on = today - datetime.timedelta(days=spec.days_ago)
    assessment_record(
        person=person, source=spec.source, ratings=ratings, by=None, assessor=assessor.user, assessed_on=assessed_on,
        period_start=assessed_on - datetime.timedelta(days=90), period_end=assessed_on, summary=spec.summary,
    )  # fmt: skip


def _seed_request(person: Person | None, asked_by: Person | None, due_on: datetime.date, note: str) -> None:
    if person is None or asked_by is None or person.user is None:
        return
    # Asked once: a request the manager has since filled in is not asked again.
    if Assessment.objects.filter(person=person, source=SELF, requested_by=asked_by.user).exists():
        return
    assessment_request(person=person, by=asked_by.user, due_on=due_on, note=note)


def _seed_plan(
    spec: PlanSpec, people: Mapping[str, Person], competencies: Mapping[str, Competency], today: datetime.date
) -> None:
    coachee, coach = people.get(spec.coachee), people.get(spec.coach)
    if coachee is None or coach is None or CoachingPlan.objects.filter(coachee=coachee, title=spec.title).exists():
        return
    if spec.active and CoachingPlan.objects.filter(coachee=coachee, state=CoachingPlan.State.ACTIVE).exists():
        return  # someone started another plan for them in the app
    by = coach.user
    start = today - datetime.timedelta(days=spec.started)
    create = plan_create if spec.goals else plan_start_from_gaps
    plan = create(coachee=coachee, coach=coach, by=by, title=spec.title, period_start=start)
    for title, key, target, due in spec.goals:
        goal_add(plan=plan, title=title, due_on=today + datetime.timedelta(days=due), by=by,
                 competency=competencies.get(key), target_level=target)  # fmt: skip
    if spec.active:
        plan = plan_activate(plan=plan, by=by)
        CoachingPlan.objects.filter(pk=plan.pk).update(activated_at=_at(start, 9))
    library_tasks = plan.tasks.order_by("due_on", "pk")
    for task, state in zip(library_tasks, spec.library_states, strict=False):
        _set_state(task, state, plan, today)
    goals = list(plan.goals.all())
    for task_spec in spec.tasks:
        _add_task(plan, task_spec, today, goal=goals[0] if goals else None)
    for session in spec.sessions:
        _add_session(plan, session, today)
    for goal in goals:
        if goal.competency and goal.competency.key in spec.achieved:
            goal_update(goal=goal, by=by, state=Goal.State.ACHIEVED, note=spec.achieved[goal.competency.key])


def _person_for(plan: CoachingPlan, who: str) -> Person:
    return plan.coach if who == COACH else plan.coachee


def _add_task(plan: CoachingPlan, spec: TaskSpec, today: datetime.date, *, goal: Goal | None) -> None:
    task = task_add(plan=plan, title=spec.title, kind=spec.kind, assignee=_person_for(plan, spec.assignee),
                    due_on=today + datetime.timedelta(days=spec.due), by=plan.coach.user, goal=goal,
                    description=spec.description)  # fmt: skip
    _set_state(task, spec.state, plan, today)


def _add_session(plan: CoachingPlan, spec: SessionSpec, today: datetime.date) -> None:
    steps = [
        NextStep(step.title, today + datetime.timedelta(days=step.due), _person_for(plan, step.assignee), step.kind)
        for step in spec.next_steps
    ]
    session = session_record(plan=plan, held_on=today - datetime.timedelta(days=spec.days_ago), notes=spec.notes,
                             by=plan.coach.user, next_steps=steps)  # fmt: skip
    for task, step in zip(session.next_steps.order_by("pk"), spec.next_steps, strict=True):
        _set_state(task, step.state, plan, today)


def _set_state(task: CoachingTask, state: str, plan: CoachingPlan, today: datetime.date) -> None:
    """Moves a new task to `state`. A done task is marked by its assignee, and dated the day before it was
    due (or yesterday): a fresh demo would otherwise show everything done in the last minute."""
    if state == DONE:
        task_complete(task=task, by=task.assignee.user)
        day = min(task.due_on, today) - datetime.timedelta(days=1)
        CoachingTask.objects.filter(pk=task.pk).update(completed_at=_at(max(day, plan.period_start), 16))
    elif state != TODO:
        task_set_state(task=task, state=state, by=plan.coach.user)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _summary(people: Mapping[str, Person]) -> list[str]:
    today = timezone.localdate()
    managers = [person for username, person in people.items() if username.startswith("manager")]
    assessments = Assessment.objects.filter(person__in=managers)
    sources = Counter(assessments.filter(status=Assessment.Status.SUBMITTED).values_list("source", flat=True))
    requested = assessments.filter(status=Assessment.Status.REQUESTED).count()
    lines = [
        "",
        f"Coaching: {DevelopmentActivity.objects.count()} development activities in the library; "
        f"{sum(sources.values())} assessments of the managers ({sources[LEADER]} by their director, "
        f"{sources[SELF]} self, {sources[PEER]} peer), {requested} self-assessments asked for; "
        f"sign in as {' or '.join(DIRECTORS)} for the team's plans and the gaps heatmap:",
    ]
    for username in DIRECTORS:
        director = people.get(username)
        if director is None:
            continue
        plans = CoachingPlan.objects.filter(coach=director, state=CoachingPlan.State.ACTIVE)
        tasks = CoachingTask.objects.filter(plan__in=plans)
        overdue = tasks.filter(state__in=OPEN_TASK_STATES, due_on__lt=today).count()
        reports = [person for person in managers if person.manager_id == director.pk]
        without = [person.full_name for person in reports if not plans.filter(coachee=person).exists()]
        lines.append(
            f"  {director} ({username}) coaches {_count(plans.count(), 'manager')}: {_count(tasks.count(), 'task')} "
            f"({tasks.filter(state=DONE).count()} done, {overdue} overdue), "
            f"{_count(sum(plan.sessions.count() for plan in plans), '1:1 session')} recorded; "
            f"without an active plan: {', '.join(without) or 'nobody'}"
        )
    coached_by_managers = CoachingPlan.objects.filter(coach__in=managers, state=CoachingPlan.State.ACTIVE)
    for plan in coached_by_managers.select_related("coachee", "coach__user").order_by("pk"):
        lines.append(f"  {plan.coach} ({plan.coach.user.username}) coaches {plan.coachee}, one of their sellers: "
                     f"{plan.title}")  # fmt: skip
    lines.append("  My development: manager3 has overdue tasks; manager12 has a self-assessment to fill in.")
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
