"""Demo hiring on top of the demo org (`enablement.org.demo`) and the roles of the charter demo
(`managers.demo`): the competency framework, what each frontline manager role requires, two open
requisitions with their interview plans, and ten candidates spread over the pipeline, with interviews
before and after today, submitted scorecards (one candidate's ratings split, some competencies not
assessed), one scorecard overdue, one rejection and one withdrawal. Nobody is hired: a hire becomes a
person and would change the org the other demo steps build on.

Built only through the services and keyed by what a second run can find again (role code, requisition
and candidate external ids, an application's candidate and requisition, an interview's application,
plan stage and interviewer), so running it twice changes nothing. What leaders and recruiters changed
in the app is left as it is: requirements are set only on a role that has none, a plan only on a
requisition that has none, a scorecard is filled in only while untouched, and an application is moved
only forward and only to a stage it has never been in.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from enablement.models import Person
from managers.demo import COMMERCIAL, ENTERPRISE, CharterSpec
from managers.models import Application, Competency, Interview, Requisition, Role, Scorecard
from managers.selectors.hiring import application_list, candidate_profiles
from managers.services.charters import role_create
from managers.services.competencies import competencies_seed, role_requirements_save
from managers.services.hiring import (
    RatingInput,
    application_create,
    application_decide,
    application_move,
    candidate_upsert,
    interview_schedule,
    interview_stage_add,
    requisition_create,
    scorecard_save_draft,
    scorecard_submit,
)

RECRUITER = "recruiter"  # the demo recruiter's username (enablement.org.demo)
Stage = Application.Stage
SUBMITTED, DRAFT, SCHEDULED = "submitted", "draft", "scheduled"
# The seeded story only ever moves an application forward along this path (or withdraws it).
FORWARD = (Stage.APPLIED, Stage.SCREEN, Stage.INTERVIEWS, Stage.DECISION)

STAGE_WORDS = {
    Stage.APPLIED: "applied",
    Stage.SCREEN: "in screen",
    Stage.INTERVIEWS: "in interviews",
    Stage.DECISION: "awaiting a decision",
    Stage.HIRED: "hired",
    Stage.REJECTED: "rejected",
    Stage.WITHDRAWN: "withdrawn",
}

BUSINESS, CROSS_FUNCTIONAL, CUSTOMER = "business-acumen", "cross-functional-collaboration", "customer-centricity"
COACHING, STORYTELLING, PIPELINE = "coaching", "storytelling", "pipeline-and-forecast-discipline"
DATA, TALENT, CHANGE = "data-driven-decisions", "talent-development", "change-and-ai-adoption"
RESILIENCE, DIALOGUE = "resilience", "open-dialogue"

# (competency key, required level, weight) per role code. Enterprise deals are won on the business case
# and across teams; a commercial team's number is made by coaching at volume and pipeline discipline.
REQUIREMENTS: dict[str, tuple[tuple[str, int, int], ...]] = {
    ENTERPRISE.code: (
        (BUSINESS, 3, 5),
        (CROSS_FUNCTIONAL, 3, 5),
        (PIPELINE, 3, 4),
        (COACHING, 3, 4),
        (CUSTOMER, 3, 3),
        (STORYTELLING, 2, 2),
    ),
    COMMERCIAL.code: (
        (COACHING, 3, 5),
        (PIPELINE, 3, 5),
        (DATA, 3, 5),
        (TALENT, 3, 4),
        (CHANGE, 2, 3),
        (RESILIENCE, 2, 3),
        (DIALOGUE, 2, 2),
    ),
}


@dataclass(frozen=True)
class PlanStage:
    name: str
    minutes: int
    competencies: tuple[str, ...]


@dataclass(frozen=True)
class RequisitionSpec:
    external_id: str
    charter: CharterSpec  # its role, and its director as the hiring manager
    title: str
    plan: tuple[PlanStage, ...]


@dataclass(frozen=True)
class Rated:
    key: str
    rating: int | None  # None: not assessed
    evidence: str


@dataclass(frozen=True)
class InterviewSpec:
    stage: str
    interviewer: str  # username
    days: int  # from today; negative is past
    hour: int
    outcome: str = SCHEDULED
    recommendation: str = ""
    summary: str = ""
    ratings: tuple[Rated, ...] = ()


@dataclass(frozen=True)
class CandidateSpec:
    requisition: str  # external id
    first_name: str
    last_name: str
    email: str
    phone: str
    external_id: str
    source: str
    screen_note: str = ""  # moved to screen, with this note, when given
    interviews: tuple[InterviewSpec, ...] = ()
    outcome: str = ""  # decision or withdrawn (a move), rejected (the recruiter's decision)
    note: str = ""  # the outcome's note or rationale


ENTERPRISE_REQ, COMMERCIAL_REQ = "REQ-1187", "REQ-1192"
HM, ROLE_PLAY, CROSS_PANEL = "Hiring manager interview", "Coaching role play", "Cross-functional panel"
FORECAST_CASE, PIPELINE_CASE = "Forecast review case", "Pipeline review case"
REQUISITIONS = (
    RequisitionSpec(
        ENTERPRISE_REQ,
        ENTERPRISE,
        "Frontline Sales Manager, Enterprise Financial Services (New York)",
        (
            PlanStage(HM, 60, (BUSINESS, CUSTOMER, STORYTELLING)),
            PlanStage(ROLE_PLAY, 45, (COACHING, STORYTELLING)),
            PlanStage(FORECAST_CASE, 60, (PIPELINE, BUSINESS)),
            PlanStage(CROSS_PANEL, 45, (CROSS_FUNCTIONAL, CUSTOMER)),
        ),
    ),
    RequisitionSpec(
        COMMERCIAL_REQ,
        COMMERCIAL,
        "Frontline Sales Manager, Mid-Market (Austin)",
        (
            PlanStage(HM, 45, (TALENT, RESILIENCE, CHANGE)),
            PlanStage(ROLE_PLAY, 45, (COACHING, DIALOGUE)),
            PlanStage(PIPELINE_CASE, 60, (PIPELINE, DATA, COACHING)),
        ),
    ),
)

CANDIDATES = (
    CandidateSpec(ENTERPRISE_REQ, "Rebecca", "Thornton", "rebecca.thornton@example.com", "+1 646 555 0117",
                  "ATS-C-20431", "LinkedIn"),
    CandidateSpec(ENTERPRISE_REQ, "Tomás", "Echeverría", "tomas.echeverria@example.net", "+1 312 555 0188",
                  "ATS-C-20412", "Employee referral",
                  screen_note="Phone screen booked: eight years selling core-banking software, first-line manager "
                  "of five AEs since 2023; open to relocating from Chicago."),
    CandidateSpec(
        ENTERPRISE_REQ, "Naledi", "Mokoena", "naledi.mokoena@example.org", "+1 917 555 0164", "ATS-C-20377",
        "Agency: Harbor Search Partners",
        screen_note="Strong screen: manages six enterprise AEs at a payments company; team at 108% of plan last year.",
        interviews=(
            InterviewSpec(HM, "director1", -6, 10, SUBMITTED, Scorecard.Recommendation.YES,
                "Commercially the strongest candidate so far: thinks in margin and term, not just bookings, and "
                "keeps the customer's outcome in view. Open question for the loop: how much of her team's forecast "
                "accuracy is her process and how much a strong RevOps partner.",
                (Rated(BUSINESS, 4, "Rebuilt a $1.8M renewal procurement wanted at 25% off: traded the discount "
                       "down to 9% for a three-year term and a reference case, and gave the margin effect in points "
                       "without notes. Showed the one-page value case every seller of hers writes for deals over "
                       "$250k."),
                 Rated(CUSTOMER, 3, "Walked away from a data-residency deal her team could not support at a "
                       "tier-one bank and introduced a partner instead; the bank came back a year later for a $900k "
                       "platform deal. Asks 'how will the customer measure success?' in every deal review."),
                 Rated(STORYTELLING, None, "Not assessed: we ran out of time. The coaching role play covers it."))),
            InterviewSpec(FORECAST_CASE, "manager1", -3, 14, SUBMITTED, Scorecard.Recommendation.NO,
                "Confident and articulate, but she inspected the case pipeline on optimism rather than evidence and "
                "did not connect the promised discount to the quarter's margin. That is the core of the job in "
                "Financial Services, so I lean no unless the other interviews show a different picture.",
                (Rated(BUSINESS, 2, "Ranked the $1.2M bank deal first on size alone and did not ask about the 30% "
                       "discount already promised to the buyer; weighed margin against the quarter's number only "
                       "when prompted."),
                 Rated(PIPELINE, 2, "Accepted two of the three commit dates as the seller gave them. Asked for next "
                       "steps but not for the economic buyer, the paper process or a mutual close plan; her commit "
                       "of $2.4M was $700k above what the evidence in the case supported."))),
            InterviewSpec(ROLE_PLAY, "manager4", 2, 11),
            InterviewSpec(CROSS_PANEL, "manager5", 3, 15),
        ),
    ),
    CandidateSpec(
        ENTERPRISE_REQ, "Siobhan", "Gallagher", "siobhan.gallagher@example.com", "+1 201 555 0139", "ATS-C-20298",
        "Employee referral",
        screen_note="Referred by a former colleague on the team; leads a seven-person enterprise team in insurance "
        "software, promoted from AE in 2022.",
        interviews=(
            InterviewSpec(HM, "director1", -12, 10, SUBMITTED, Scorecard.Recommendation.YES,
                "A steady, commercially sound leader who manages through her sellers rather than around them. "
                "Would hire; the loop should confirm her coaching depth and how she works with solutions engineering.",
                (Rated(BUSINESS, 3, "Walked away from a quarter-end deal at 40% off that would have broken the "
                       "region's margin floor and won it the next quarter at 15% with a larger scope. Knows her "
                       "team's win rate and average cycle length by segment."),
                 Rated(CUSTOMER, 3, "Keeps a 'customer's definition of success' field on every opportunity and "
                       "sends deals back in review when it is empty. Slowed one deal to bring customer success in "
                       "before signature."),
                 Rated(STORYTELLING, 3, "Told the turnaround of a stalled insurance account as situation, stakes "
                       "and the one decision she needed, in under three minutes, and adapted when I interrupted "
                       "with a CFO-style challenge."))),
            InterviewSpec(ROLE_PLAY, "manager2", -10, 14, SUBMITTED, Scorecard.Recommendation.STRONG_YES,
                "The best coaching role play in this loop: she told a skill gap from a will gap within five minutes "
                "and coached it without taking the call over.",
                (Rated(COACHING, 3, "With a seller who kept discounting early, she asked three questions before "
                       "giving any advice, had the seller replay the pricing objection twice, and ended with one "
                       "practice commitment for the next call."),
                 Rated(STORYTELLING, 3, "Reframed the seller's pitch around the customer's claims-processing cost "
                       "instead of features; the mock seller could repeat her opening back straight away."))),
            InterviewSpec(FORECAST_CASE, "manager3", -8, 11, SUBMITTED, Scorecard.Recommendation.YES,
                "Disciplined and calm in the forecast. Exactly the deal inspection an enterprise team needs.",
                (Rated(PIPELINE, 3, "Inspected each commit deal on evidence: who signs, what the paper process is, "
                       "what happens if the date slips. Moved one deal from commit to best case and said why; her "
                       "number landed within 5% of the case answer."),
                 Rated(BUSINESS, 3, "Saw that the largest deal's multi-year discount made it worth less than two "
                       "smaller deals and moved the seller's time accordingly."))),
            InterviewSpec(CROSS_PANEL, "manager5", -7, 15, SUBMITTED, Scorecard.Recommendation.STRONG_YES,
                "Partner teams would want to work with her. Strong yes.",
                (Rated(CROSS_FUNCTIONAL, 4, "Co-designed the sales-to-customer-success handoff with the CS "
                       "director: a joint kickoff checklist RevOps now uses for every enterprise deal. Negotiated "
                       "solutions-engineering cover for a strategic deal by giving up two smaller evaluations."),
                 Rated(CUSTOMER, 3, "Took a customer's onboarding complaints to product and got a fix prioritised, "
                       "framed as renewal risk rather than her own quota."))),
        ),
        outcome=Stage.DECISION,
        note="Debrief held: four of four interviewers recommend hire. References requested.",
    ),
    CandidateSpec(
        ENTERPRISE_REQ, "Gregory", "Hale", "greg.hale@example.com", "+1 347 555 0102", "ATS-C-20315", "Careers site",
        screen_note="Top enterprise AE (President's Club 2024) with no formal management experience; led onboarding "
        "for two new hires.",
        interviews=(
            InterviewSpec(HM, "director1", -15, 16, SUBMITTED, Scorecard.Recommendation.NO,
                "An excellent individual closer, but I did not hear a manager yet: every answer came back to deals "
                "he would close himself.",
                (Rated(BUSINESS, 2, "Knows the economics of his own deals well; asked how discounting across a team "
                       "affects the region's margin, he described his personal closing tactics instead."),
                 Rated(CUSTOMER, 1, "Described customers by deal size and close date; his example of putting the "
                       "customer first was getting a contract signed before their fiscal year end."),
                 Rated(STORYTELLING, 2, "Clear and energetic telling his own deal stories; struggled to explain a "
                       "plan for the team in terms of why it matters to them."))),
            InterviewSpec(ROLE_PLAY, "manager6", -13, 11, SUBMITTED, Scorecard.Recommendation.STRONG_NO,
                "Not ready to coach yet. Could become a strong manager after a year in a team-lead stretch role.",
                (Rated(COACHING, 1, "Two minutes into the role play he took the customer conversation over from the "
                       "seller and closed it himself. Asked what the seller should practise, he said 'watch how I "
                       "do it'."),
                 Rated(STORYTELLING, None, "Not assessed: the role play did not get that far."))),
        ),
        outcome=Stage.REJECTED,
        note="Both interviewers recommend no. A strong individual closer, but no evidence yet of coaching (he took "
        "the role-play call over instead of coaching the seller) or of leading through others; the hiring manager "
        "agrees. Pointed him to the Senior AE, Strategic Accounts opening and will keep in touch for a team-lead role.",
    ),
    CandidateSpec(COMMERCIAL_REQ, "Aaliyah", "Jefferson", "aaliyah.jefferson@example.com", "+1 512 555 0151",
                  "ATS-C-20440", "LinkedIn"),
    CandidateSpec(COMMERCIAL_REQ, "Kenji", "Watanabe", "kenji.watanabe@example.net", "+1 737 555 0126",
                  "ATS-C-20436", "Careers site",
                  screen_note="Screen scheduled: SMB sales manager at a payroll start-up with eight SDRs and AEs; "
                  "wants a larger mid-market book."),
    CandidateSpec(
        COMMERCIAL_REQ, "Lucía", "Paredes", "lucia.paredes@example.org", "+1 512 555 0173", "ATS-C-20388",
        "Employee referral",
        screen_note="Good screen: runs a mid-market team of seven on 30-day cycles; at or above plan 11 months of 12.",
        interviews=(
            InterviewSpec(HM, "director2", -5, 10, SUBMITTED, Scorecard.Recommendation.YES,
                "Builds and ramps teams well and stays steady under pressure. Less evidence on bringing in new "
                "tools; the pipeline case may show more. Yes.",
                (Rated(TALENT, 3, "Ramped her last two hires to a first closed deal in 38 and 44 days on a written "
                       "30-60-90 plan, front-loading discovery practice for the one who came from customer success. "
                       "Managed one seller out after a documented 60-day plan."),
                 Rated(RESILIENCE, 3, "Lost the team's largest renewal in March, ran a loss debrief the next "
                       "morning, re-planned coverage per seller, and the team finished the quarter at 97%."),
                 Rated(CHANGE, 2, "Uses AI call summaries herself and asks her sellers to, but checks adoption only "
                       "informally and had no answer yet for how she verifies the summaries."))),
            # Started but not submitted, days after the interview: the overdue scorecard of the demo.
            InterviewSpec(ROLE_PLAY, "manager8", -4, 13, DRAFT, ratings=(
                Rated(COACHING, 3, "Had the seller self-assess the discovery call first, then replayed the budget "
                      "question with them twice."),)),
            InterviewSpec(PIPELINE_CASE, "manager11", 1, 10),
        ),
    ),
    CandidateSpec(
        COMMERCIAL_REQ, "Owen", "Fitzgerald", "owen.fitzgerald@example.com", "+1 214 555 0190", "ATS-C-20351",
        "Agency: Lonestar Talent",
        screen_note="Mid-market manager at a logistics SaaS company, team of six; known for his team's weekly "
        "call-review habit.",
        interviews=(
            InterviewSpec(HM, "director2", -11, 11, SUBMITTED, Scorecard.Recommendation.YES,
                "A solid builder of teams with honest self-awareness. Yes, if the coaching interviews hold up.",
                (Rated(TALENT, 3, "Showed the ramp scorecard he built (certified pitch by week 2, first qualified "
                       "opportunity by week 4); his last three hires closed a first deal within 50 days."),
                 Rated(RESILIENCE, 2, "Recovered from a missed quarter with a clear plan, but admits he worked the "
                       "biggest deals himself for a month instead of coaching, and named it as a pattern to watch."),
                 Rated(CHANGE, None, "Not assessed: we spent the time on ramp and performance management."))),
            InterviewSpec(ROLE_PLAY, "manager10", -9, 14, SUBMITTED, Scorecard.Recommendation.STRONG_YES,
                "An outstanding coach: specific, patient and systematic. Strong yes.",
                (Rated(COACHING, 4, "Ran the role play as a call review: played back the seller's discovery call, "
                       "had her find the missed question, practised it twice and set a follow-up. Showed the "
                       "call-review rubric three peer managers now use."),
                 Rated(DIALOGUE, 3, "Invited the mock seller to disagree with his read of the deal and changed his "
                       "advice when she made the better argument; runs a blameless lost-deal retro every month."))),
            InterviewSpec(PIPELINE_CASE, "manager7", -8, 10, SUBMITTED, Scorecard.Recommendation.YES,
                "Strong on pipeline and data. Under time pressure his coaching was directive, unlike in the role "
                "play, which is worth discussing in the debrief. Yes.",
                (Rated(PIPELINE, 3, "Moved two deals out of commit after asking about the signer and the paper "
                       "process; his forecast for the case landed within 4% of the answer."),
                 Rated(DATA, 3, "Pulled stage conversion per seller from the case data, found one seller losing "
                       "most deals between demo and proposal, and made that her coaching focus."),
                 Rated(COACHING, 2, "With the struggling seller he diagnosed the problem himself and told her the "
                       "fix instead of asking; no practice or follow-up was agreed."))),
        ),
        outcome=Stage.DECISION,
        note="Coaching ratings split (4 in the role play, 2 in the pipeline case): the hiring manager talks to both "
        "interviewers before deciding.",
    ),
    CandidateSpec(COMMERCIAL_REQ, "Chloe", "Ashworth", "chloe.ashworth@example.com", "+1 512 555 0135",
                  "ATS-C-20367", "LinkedIn",
                  screen_note="Screened: runs an inbound SMB team of nine; salary expectation at the top of the band.",
                  outcome=Stage.WITHDRAWN,
                  note="Withdrew after the screen: accepted a counter-offer from her current employer."),
)  # fmt: skip


@transaction.atomic
def seed_hiring_demo() -> list[str]:
    """Builds the demo hiring on the demo org (which must exist) and returns a summary to print.
    Idempotent; raises ValidationError only if the org or framework was changed so far that a service
    refuses the demo's data."""
    competencies_seed()
    competencies = Competency.objects.filter(is_active=True).in_bulk(field_name="key")
    people = _people()
    recruiter = get_user_model().objects.get(username=RECRUITER)
    for charter in (ENTERPRISE, COMMERCIAL):
        _seed_requirements(_role(charter, people), competencies, by=people[charter.director].user)
    requisitions = {spec.external_id: _seed_requisition(spec, people, recruiter, competencies) for spec in REQUISITIONS}
    for spec in CANDIDATES:
        _seed_candidate(spec, requisitions[spec.requisition], people, recruiter)
    return _summary(requisitions.values())


def _people() -> dict[str, Person]:
    usernames = {spec.charter.director for spec in REQUISITIONS} | {
        interview.interviewer for spec in CANDIDATES for interview in spec.interviews
    }
    people = Person.objects.filter(user__username__in=usernames).select_related("user")
    return {person.user.username: person for person in people}


def _role(charter: CharterSpec, people: Mapping[str, Person]) -> Role:
    role = Role.objects.filter(code=charter.code).first()
    if role is None:
        role = role_create(
            code=charter.code, name=charter.name, description=charter.description, by=people[charter.director].user
        )
    return role


def _seed_requirements(role: Role, competencies: Mapping[str, Competency], *, by: AbstractBaseUser) -> None:
    # A role with requirements was set up by a leader (or an earlier run): theirs stand.
    if role.requirements.exists():
        return
    rows = [
        {"competency": competencies[key], "required_level": level, "weight": weight}
        for key, level, weight in REQUIREMENTS[role.code]
        if key in competencies
    ]
    role_requirements_save(role=role, requirements=rows, by=by)


def _target_start() -> datetime.date:
    start = timezone.localdate() + datetime.timedelta(weeks=9)
    return start - datetime.timedelta(days=start.weekday())  # a Monday


def _seed_requisition(
    spec: RequisitionSpec,
    people: Mapping[str, Person],
    recruiter: AbstractBaseUser,
    competencies: Mapping[str, Competency],
) -> Requisition:
    requisition = Requisition.objects.filter(external_id=spec.external_id).first()
    if requisition is None:
        requisition = requisition_create(
            role=Role.objects.get(code=spec.charter.code),
            title=spec.title,
            hiring_manager=people[spec.charter.director],
            recruiter=recruiter,
            by=recruiter,
            target_start=_target_start(),
            external_id=spec.external_id,
        )
    if not requisition.stages.exists():
        for stage in spec.plan:
            interview_stage_add(
                requisition=requisition,
                name=stage.name,
                duration_minutes=stage.minutes,
                competencies=[competencies[key] for key in stage.competencies if key in competencies],
                by=recruiter,
            )
    return requisition


def _seed_candidate(
    spec: CandidateSpec, requisition: Requisition, people: Mapping[str, Person], recruiter: AbstractBaseUser
) -> None:
    candidate, _created = candidate_upsert(
        email=spec.email,
        first_name=spec.first_name,
        last_name=spec.last_name,
        phone=spec.phone,
        external_id=spec.external_id,
        by=recruiter,
    )
    application = Application.objects.filter(candidate=candidate, requisition=requisition).first()
    created = application is None
    if created:
        if not requisition.is_open:
            return
        application = application_create(candidate=candidate, requisition=requisition, by=recruiter, source=spec.source)
    if spec.screen_note:
        _advance(application, Stage.SCREEN, by=recruiter, note=spec.screen_note)
    for interview in spec.interviews:
        _seed_interview(application, interview, people, recruiter)
    application.refresh_from_db()
    if spec.outcome == Stage.REJECTED:
        if application.is_active:
            application_decide(
                application=application, decision=Application.Decision.REJECT, rationale=spec.note, by=recruiter
            )
    elif spec.outcome:
        _advance(application, spec.outcome, by=recruiter, note=spec.note)
    if created:
        _backdate(application, spec)


def _backdate(application: Application, spec: CandidateSpec) -> None:
    """Services stamp every move with the time it runs; a fresh demo would show everyone "0 minutes in
    this stage". The candidate reached their stage after their last past interview, or a few days ago."""
    past = [_at(interview.days, interview.hour) for interview in spec.interviews if interview.days < 0]
    since = max(past, default=_at(-3, 9)) + datetime.timedelta(hours=2)
    Application.objects.filter(pk=application.pk).update(stage_changed_at=min(since, timezone.now()))


def _advance(application: Application, to_stage: str, *, by: AbstractBaseUser, note: str) -> None:
    """Moves the application to `to_stage` unless it is closed, was there before, or is already past it."""
    application.refresh_from_db()
    if not application.is_active or application.events.filter(to_stage=to_stage).exists():
        return
    if to_stage in FORWARD and FORWARD.index(application.stage) >= FORWARD.index(to_stage):
        return
    application_move(application=application, to_stage=to_stage, by=by, note=note)


def _at(days: int, hour: int) -> datetime.datetime:
    """`hour` o'clock local time on the working day `days` from today (moved away from today past a weekend)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1 if days >= 0 else -1)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _seed_interview(
    application: Application, spec: InterviewSpec, people: Mapping[str, Person], recruiter: AbstractBaseUser
) -> None:
    interviewer = people.get(spec.interviewer)
    stage = application.requisition.stages.filter(name=spec.stage).first()
    if interviewer is None or stage is None:
        return
    # Matched without its time: the demo's times are relative to the day it first ran.
    interview = (
        Interview.objects.filter(application=application, stage=stage, interviewer=interviewer)
        .select_related("scorecard")
        .first()
    )
    if interview is None:
        application.refresh_from_db()
        if not application.is_active:
            return
        interview = interview_schedule(
            application=application,
            stage=stage,
            interviewer=interviewer,
            scheduled_at=_at(spec.days, spec.hour),
            by=recruiter,
        )
    _fill_scorecard(interview.scorecard, spec, by=interviewer.user)


def _untouched(scorecard: Scorecard) -> bool:
    return (
        not scorecard.is_submitted
        and not scorecard.recommendation
        and not scorecard.summary
        and not scorecard.ratings.exclude(rating__isnull=True, evidence="").exists()
    )


def _fill_scorecard(scorecard: Scorecard, spec: InterviewSpec, *, by: AbstractBaseUser) -> None:
    if spec.outcome == SCHEDULED or not _untouched(scorecard):
        return
    # Only the competencies the scorecard was started with (the plan may have changed since).
    covered = dict(scorecard.ratings.values_list("competency__key", "competency"))
    ratings = {
        covered[rated.key]: RatingInput(rated.rating, rated.evidence) for rated in spec.ratings if rated.key in covered
    }
    values = {"ratings": ratings, "recommendation": spec.recommendation, "summary": spec.summary}
    if spec.outcome == DRAFT:
        scorecard_save_draft(scorecard=scorecard, by=by, **values)
    elif any(value.rating is not None for value in ratings.values()):
        scorecard_submit(scorecard=scorecard, by=by, **values)


def _summary(requisitions: Iterable[Requisition]) -> list[str]:
    requisitions = list(
        Requisition.objects.filter(pk__in=[requisition.pk for requisition in requisitions])
        .select_related("hiring_manager")
        .order_by("external_id")
    )
    applications = list(application_list(Application.objects.filter(requisition__in=requisitions)))
    profiles = candidate_profiles(applications)
    scorecards = Scorecard.objects.filter(interview__application__in=applications)
    submitted = scorecards.filter(status=Scorecard.Status.SUBMITTED).count()
    missing = sum(len(profile.missing_scorecards) for profile in profiles.values())
    opened = sum(requisition.is_open for requisition in requisitions)
    candidates = len({application.candidate_id for application in applications})
    lines = [
        "",
        f"Hiring: {opened} open requisitions, {candidates} candidates, {submitted} scorecards submitted, "
        f"{missing} missing; sign in as {RECRUITER} to see the pipeline:",
    ]
    upcoming = Counter(
        scorecards.filter(interview__scheduled_at__gte=timezone.now()).values_list(
            "interview__application__requisition", flat=True
        )
    )
    for requisition in requisitions:
        mine = [profile for profile in profiles.values() if profile.application.requisition_id == requisition.pk]
        stages = Counter(profile.application.stage for profile in mine)
        split = sum(any(flag.code == "disagreement" for flag in profile.flags) for profile in mine)
        pipeline = ", ".join(f"{stages[stage]} {label}" for stage, label in STAGE_WORDS.items() if stages[stage])
        lines.append(
            f"  {requisition.external_id} {requisition.title}, hiring manager {requisition.hiring_manager}: "
            f"{pipeline}; {_count(upcoming[requisition.pk], 'interview')} coming up, "
            f"{_count(split, 'candidate')} with split ratings to discuss"
        )
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
