"""The demo assessments of the managers, from their director, themselves and a peer (some with large gaps,
one with none), and the self-assessments directors asked for that are not yet filled in; recorded through
the services, once each (keyed by person, source and assessor; by person and who asked)."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from coaching.models import Assessment
from coaching.services.assessments import LevelInput, assessment_record, assessment_request
from enablement.models import Person
from managers.demo.requirements import (
    BUSINESS,
    CHANGE,
    COACHING,
    CROSS_FUNCTIONAL,
    CUSTOMER,
    DATA,
    DIALOGUE,
    PIPELINE,
    RESILIENCE,
    STORYTELLING,
    TALENT,
)
from managers.models import Competency

LEADER, SELF, PEER = Assessment.Source.LEADER, Assessment.Source.SELF, Assessment.Source.PEER


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


def _r(key: str, level: int, evidence: str) -> Rated:
    return Rated(key, level, evidence)


# Director assessments rate every competency of the role; self-assessments and peers rate some.
ASSESSMENTS: tuple[AssessmentSpec, ...] = (
    # Enterprise (director1: Marcus Chen)
    AssessmentSpec(
        "manager1",
        LEADER,
        "director1",
        62,
        "A role-model coach whose team call-review hour other managers now copy. The next step is the commercial "
        "side of enterprise deals.",
        (
            _r(
                COACHING,
                4,
                "Runs a weekly team call-review hour with a shared rubric; two peer managers adopted it "
                "this quarter, and both ramping sellers reached certified pitch a week early.",
            ),
            _r(
                BUSINESS,
                2,
                "Prices deals well within the bands, but the Halvorsen business case went to the CFO "
                "without a payback figure; the deal slipped a quarter waiting for one.",
            ),
            _r(
                CROSS_FUNCTIONAL,
                3,
                "Books SE time with a written deal brief and ran the joint plan for the Norrland "
                "Energy renewal with legal and customer success.",
            ),
            _r(
                PIPELINE, 3, "Forecast landed within 6% two quarters running; commit deals have a named economic buyer."
            ),
            _r(
                CUSTOMER,
                3,
                "Declined to push the Oakridge deal at quarter end when the customer's rollout plan was not "
                "ready; it closed larger the next month.",
            ),
            _r(STORYTELLING, 2, "Team meetings open with a win story; forecast updates still read as lists of deals."),
        ),
    ),
    AssessmentSpec(
        "manager1",
        SELF,
        "manager1",
        68,
        "I coach well; I want to get better at building the business case with my sellers.",
        (
            _r(COACHING, 4, "My team's call-review hour is now used by two other teams."),
            _r(BUSINESS, 2, "I leave the CFO conversation to the seller and the SE; I should be in it."),
            _r(PIPELINE, 3, "Two quarters within 10% of my call."),
        ),
    ),
    AssessmentSpec(
        "manager2",
        LEADER,
        "director1",
        58,
        "Solid coach and customer advocate. Deals above $250k stall because partners come in late, and the "
        "forecast relies on seller optimism.",
        (
            _r(
                COACHING,
                3,
                "1:1s are built around one recorded call and end with a practice commitment; protected "
                "them in quarter-end week.",
            ),
            _r(
                BUSINESS,
                3,
                "Walked away from a 40% discount at quarter end and explained the margin effect to the team.",
            ),
            _r(
                CROSS_FUNCTIONAL,
                2,
                "Brought solutions engineering into the Lakeshore Health deal two weeks before "
                "the proposal was due; the SE lead escalated the late request.",
            ),
            _r(PIPELINE, 2, "Q2 commit missed by 18%: three deals stayed in commit with no confirmed signer."),
            _r(CUSTOMER, 3, "Asks in every deal review what the customer is solving and how they measure success."),
            _r(STORYTELLING, 2, "Clear situation-insight-ask structure in the forecast call."),
        ),
    ),
    AssessmentSpec(
        "manager2",
        PEER,
        "manager1",
        40,
        "Peer view after co-running two deal reviews.",
        (
            _r(
                CROSS_FUNCTIONAL,
                2,
                "In our joint deal review the SE heard about the security questionnaire for the "
                "first time; a written brief would have saved a week.",
            ),
            _r(COACHING, 3, "Her sellers come to the review having already self-assessed their calls."),
        ),
    ),
    AssessmentSpec(
        "manager3",
        LEADER,
        "director1",
        55,
        "Attainment has fallen three months running. The forecast is the biggest problem, and coaching has "
        "turned into deal-taking.",
        (
            _r(
                COACHING,
                2,
                "1:1s turned into pipeline status updates in the last two months; joined four customer "
                "calls and took over two of them.",
            ),
            _r(
                BUSINESS,
                2,
                "Knows the price book, but could not say what the Fjordline deal is worth to the customer "
                "beyond licence cost.",
            ),
            _r(
                CROSS_FUNCTIONAL,
                2,
                "Works well with customer success on handoffs; legal saw the Meridian contract "
                "three days before the quarter closed.",
            ),
            _r(
                PIPELINE,
                1,
                "Called 92% in week 8 and landed at 71%; four commit deals had no next step or close "
                "plan in Salesforce.",
            ),
            _r(
                CUSTOMER,
                3,
                "Sellers describe the customer's problem well in deal reviews; the team's NPS at "
                "handoff is the region's best.",
            ),
            _r(STORYTELLING, 2, "Explains the team's plan clearly when asked; rarely volunteers the 'so what'."),
        ),
    ),
    AssessmentSpec(
        "manager3",
        SELF,
        "manager3",
        60,
        "A hard quarter. I think the forecast miss came from two late slips, not the process.",
        (
            _r(PIPELINE, 3, "We review the pipeline every week."),
            _r(COACHING, 3, "I spend a lot of time with my sellers on their deals."),
            _r(BUSINESS, 2, "I want to understand deal economics better."),
        ),
    ),
    AssessmentSpec(
        "manager4",
        LEADER,
        "director1",
        57,
        "Meets or exceeds the role on every competency; ready for a stretch role. Ask them to teach the business "
        "case to the other managers.",
        (
            _r(
                COACHING, 3, "Diagnoses skill versus will before choosing how to coach; two sellers promoted this year."
            ),
            _r(
                BUSINESS,
                4,
                "Built the value-case template the region now uses; walked the Baltic Freight CFO "
                "through payback in their own numbers.",
            ),
            _r(
                CROSS_FUNCTIONAL,
                3,
                "Negotiated dedicated SE coverage for the three strategic accounts against a shared renewal target.",
            ),
            _r(PIPELINE, 3, "Forecast within 4% for three quarters; moves deals out of commit on evidence."),
            _r(CUSTOMER, 4, "Runs quarterly customer advisory calls whose findings product now tracks."),
            _r(
                STORYTELLING,
                3,
                "Presented the strategic-accounts plan to the CSO in ten minutes and got the headcount.",
            ),
        ),
    ),
    AssessmentSpec(
        "manager4",
        SELF,
        "manager4",
        61,
        "Strong quarter. I would like to grow towards a director role.",
        (
            _r(BUSINESS, 3, "Comfortable with deal economics and customer financials."),
            _r(STORYTELLING, 3, "Good with executives; I could do more with written stories."),
        ),
    ),
    AssessmentSpec(
        "manager5",
        LEADER,
        "director1",
        50,
        "Runs a disciplined public-sector pipeline. Coaching is mostly telling, and the team sells features to "
        "buyers who need outcomes.",
        (
            _r(COACHING, 2, "Gives sellers the answer rather than asking; no practice commitments recorded in 1:1s."),
            _r(BUSINESS, 3, "Understands procurement budgets and multi-year terms better than anyone in the team."),
            _r(CROSS_FUNCTIONAL, 3, "Weekly sync with the bid team and legal; tenders go out complete and on time."),
            _r(PIPELINE, 3, "Forecast within 8%; every tender has a decision date and a named evaluator."),
            _r(
                CUSTOMER,
                2,
                "Deal reviews discuss the tender requirements, rarely the agency's outcome or how it is measured.",
            ),
            _r(STORYTELLING, 2, "Team updates are clear and structured."),
        ),
    ),
    AssessmentSpec(
        "manager6",
        LEADER,
        "director1",
        48,
        "A strong partner to the clinical teams and a steady pipeline, held back by a weak business case and "
        "updates nobody remembers.",
        (
            _r(COACHING, 3, "Tailors coaching per seller; role-played discovery with the new hire twice a week."),
            _r(
                BUSINESS,
                2,
                "The St. Aldric proposal compared licence prices, not the cost of the clinical workflow "
                "we replace; procurement chose on price.",
            ),
            _r(CROSS_FUNCTIONAL, 3, "Brings clinical specialists and legal in early with a written deal plan."),
            _r(PIPELINE, 3, "Clean CRM hygiene; forecast within 9%."),
            _r(CUSTOMER, 3, "Knows each hospital's buying committee and adapts to it."),
            _r(STORYTELLING, 1, "The QBR update to the CSO ran 25 minutes over and ended without an ask."),
        ),
    ),
    # Commercial (director2: Priya Raman)
    AssessmentSpec(
        "manager7",
        LEADER,
        "director2",
        56,
        "High-performing team and a good coach. Decisions rest on instinct more than the numbers.",
        (
            _r(COACHING, 3, "Protects 1:1s in quarter-end weeks; role-plays objection handling with each new hire."),
            _r(PIPELINE, 3, "Weekly MEDDICC review per seller; forecast within 7%."),
            _r(
                DATA,
                2,
                "Looks at the team's win rate but not per seller or per stage; the coaching focus comes from gut feel.",
            ),
            _r(TALENT, 3, "Ramped two hires to a first deal in under 45 days on a written 30-60-90 plan."),
            _r(CHANGE, 3, "First team to use AI call summaries every day; checks a sample for accuracy each week."),
            _r(RESILIENCE, 2, "Kept the team's rituals running through the territory change."),
            _r(DIALOGUE, 2, "Runs a monthly lost-deal retro."),
        ),
    ),
    AssessmentSpec(
        "manager7",
        SELF,
        "manager7",
        63,
        "I want to use the data we have better.",
        (
            _r(DATA, 2, "I know where the team stands, not where each seller loses deals."),
            _r(CHANGE, 3, "The team adopted call summaries without a push."),
        ),
    ),
    AssessmentSpec(
        "manager8",
        LEADER,
        "director2",
        52,
        "Reliable process, but the team does not speak up, and coaching and ramp are thin.",
        (
            _r(COACHING, 2, "Reviews calls only when a deal is at risk; no practice commitments in 1:1s."),
            _r(PIPELINE, 3, "Forecast within 9%, CRM hygiene good."),
            _r(DATA, 3, "Found that one seller loses most deals between demo and proposal and made it their focus."),
            _r(TALENT, 2, "The last hire had no written ramp plan and took 80 days to a first deal."),
            _r(CHANGE, 2, "Uses the AI tools personally and expects the team to."),
            _r(RESILIENCE, 2, "Stayed calm through the missed March and re-planned coverage."),
            _r(
                DIALOGUE,
                1,
                "In the team pulse, sellers say they hear about changes last; nobody raised the "
                "Brightline churn risk until it was lost.",
            ),
        ),
    ),
    AssessmentSpec(
        "manager8",
        PEER,
        "manager7",
        38,
        "Peer view from the joint onboarding cohort.",
        (
            _r(TALENT, 2, "His new hire joined my cohort sessions without a plan of her own for weeks 3 to 8."),
            _r(DIALOGUE, 2, "Open with peers; his team is quieter with him."),
        ),
    ),
    AssessmentSpec(
        "manager9",
        SELF,
        "manager9",
        46,
        "Self-assessment ahead of my first review with Priya.",
        (
            _r(COACHING, 3, "Coaching hours per seller are the region's highest."),
            _r(PIPELINE, 2, "I trust my sellers' close dates more than I should."),
            _r(DATA, 3, "I review conversion per seller weekly."),
            _r(TALENT, 3, "Both new hires ramped on plan."),
            _r(CHANGE, 1, "I have not used the AI assistants yet, and neither has most of my team."),
            _r(RESILIENCE, 3, "Steady through the reorg."),
            _r(DIALOGUE, 3, "The team raises risks in our Monday stand-up."),
        ),
    ),
    AssessmentSpec(
        "manager9",
        PEER,
        "manager10",
        35,
        "Peer view after the joint pipeline review.",
        (
            _r(PIPELINE, 2, "Two of his commit deals in the joint review had no confirmed signer."),
            _r(COACHING, 3, "Asks good questions of sellers instead of answering for them."),
        ),
    ),
    AssessmentSpec(
        "manager10",
        LEADER,
        "director2",
        60,
        "Attainment has fallen for two quarters and the team is tired. The first priorities are pipeline "
        "discipline and steadying the team.",
        (
            _r(COACHING, 2, "1:1s happen but are status updates; joined calls to close rather than to coach."),
            _r(
                PIPELINE,
                2,
                "Landed at 78% against a 95% call; slipped deals were not moved out of commit until the last week.",
            ),
            _r(DATA, 2, "Reports the numbers accurately but does not use them to decide where to coach."),
            _r(TALENT, 2, "Two sellers on performance plans without written goals."),
            _r(CHANGE, 1, "Paused the AI call-summary rollout in the team after one bad summary reached a customer."),
            _r(
                RESILIENCE,
                1,
                "After the lost Copperfield renewal, cancelled the team meeting for two weeks; "
                "sellers said in the pulse they did not know the plan.",
            ),
            _r(DIALOGUE, 2, "Listens in 1:1s; the team's lost-deal retro stopped in spring."),
        ),
    ),
    AssessmentSpec(
        "manager11",
        LEADER,
        "director2",
        45,
        "Process is strong; coaching time is the lowest in the region and the team's skills have stalled.",
        (
            _r(
                COACHING,
                2,
                "0.75 coaching hours per seller a month; 1:1s are cancelled first when inbound volume peaks.",
            ),
            _r(PIPELINE, 3, "Tight inbound qualification; forecast within 5%."),
            _r(DATA, 3, "Built the inbound speed-to-lead dashboard the other SMB team uses."),
            _r(TALENT, 3, "Ramp plans with weekly checkpoints for every hire."),
            _r(CHANGE, 2, "Rolled out the AI prospecting assistant with clear expectations."),
            _r(RESILIENCE, 2, "Even-tempered through the lead-volume drop in May."),
            _r(DIALOGUE, 2, "Sellers say they can disagree with him."),
        ),
    ),
    AssessmentSpec(
        "manager12",
        PEER,
        "manager11",
        30,
        "Peer view from running the SMB onboarding cohort together.",
        (
            _r(
                TALENT,
                2,
                "Three new starters in one quarter; their ramp plans were copied from a template and not "
                "checked weekly.",
            ),
            _r(COACHING, 3, "Good at role-play with new hires once he makes the time."),
        ),
    ),
)

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


def seed_assessment(
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
        person=person,
        source=spec.source,
        ratings=ratings,
        by=assessor.user,
        assessed_on=assessed_on,
        period_start=assessed_on - datetime.timedelta(days=90),
        period_end=assessed_on,
        summary=spec.summary,
    )


def seed_request(person: Person | None, asked_by: Person | None, due_on: datetime.date, note: str) -> None:
    if person is None or asked_by is None or person.user is None:
        return
    # Asked once: a request the manager has since filled in is not asked again.
    if Assessment.objects.filter(person=person, source=SELF, requested_by=asked_by.user).exists():
        return
    assessment_request(person=person, by=asked_by.user, due_on=due_on, note=note)
