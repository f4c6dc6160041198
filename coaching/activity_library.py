"""The seed library of development activities: two to four per competency of the seed framework
(`managers.competency_library`), each something a frontline sales manager can actually do within the
days it allows: a workshop, a drill, shadowing a peer, a mentor, a book, a focused 1:1. Plans started
from the gaps draw their first tasks from it (`coaching.services.plans.plan_start_from_gaps`).
`activities_seed()` loads it (the demo runs it); leaders edit the library afterwards."""

from dataclasses import dataclass

from django.db import transaction

from coaching.models import ActivityKind, DevelopmentActivity
from coaching.services.plans import activity_create
from managers.models import Competency


@dataclass(frozen=True)
class ActivitySeed:
    competency: str  # the competency's key in the seed framework
    kind: str  # ActivityKind
    title: str
    description: str
    duration_days: int


TRAINING, PRACTICE, SHADOWING = ActivityKind.TRAINING, ActivityKind.PRACTICE, ActivityKind.SHADOWING
MENTORSHIP, READING, ONE_ON_ONE = ActivityKind.MENTORSHIP, ActivityKind.READING, ActivityKind.ONE_ON_ONE

ACTIVITY_LIBRARY: tuple[ActivitySeed, ...] = (
    # Coaching
    ActivitySeed(
        "coaching",
        READING,
        "Read The Coaching Habit (Michael Bungay Stanier)",
        "Read the book and try its seven questions in your next three 1:1s, starting with \"What's on your "
        'mind?" and ending with "What was most useful for you?". Note which question changed the '
        "conversation.",
        21,
    ),
    ActivitySeed(
        "coaching",
        PRACTICE,
        "Weekly call review with one practice commitment",
        "For four weeks, review one recorded call per seller against the call-review rubric before each "
        "1:1 and end the 1:1 with one skill to practise; check it at the next one.",
        28,
    ),
    ActivitySeed(
        "coaching",
        SHADOWING,
        "Sit in on a peer manager's coaching 1:1s",
        "Observe two 1:1s run by a manager known for coaching (with the seller's consent) and debrief with "
        "them afterwards: how did they choose the skill, and who did most of the talking?",
        14,
    ),
    ActivitySeed(
        "coaching",
        TRAINING,
        "Frontline coaching workshop (enablement)",
        "Attend the two-day coaching workshop run by Sales Enablement: skill-versus-will diagnosis, "
        "role-play design and giving feedback on recorded calls.",
        30,
    ),
    # Storytelling
    ActivitySeed(
        "storytelling",
        READING,
        "Read Made to Stick (Chip Heath and Dan Heath)",
        "Read the book, then rewrite your next forecast-call update with its SUCCESs checklist: simple, "
        "unexpected, concrete, credible, emotional, a story.",
        21,
    ),
    ActivitySeed(
        "storytelling",
        PRACTICE,
        "Tell one win story a week in the team meeting",
        "For four weeks, open the team meeting with a two-minute win story: the customer's problem, the "
        "seller's key move and the result. Ask one seller each week to tell the next one.",
        28,
    ),
    ActivitySeed(
        "storytelling",
        TRAINING,
        "Executive presentation workshop",
        "Take the half-day workshop on presenting to executives (situation, insight, ask in the first "
        "minute), then present your quarterly plan to your director in that format.",
        30,
    ),
    # Mentorship
    ActivitySeed(
        "mentorship",
        MENTORSHIP,
        "Mentor an aspiring team lead",
        "Take one senior seller who wants to lead people as a mentee for a quarter: a monthly career "
        "conversation, and one stretch task such as running a team deal review.",
        90,
    ),
    ActivitySeed(
        "mentorship",
        READING,
        "Read Multipliers (Liz Wiseman)",
        "Read the book, score yourself on the five multiplier disciplines, and pick one accidental "
        "diminisher habit to drop in your next month of 1:1s.",
        21,
    ),
    ActivitySeed(
        "mentorship",
        ONE_ON_ONE,
        "Career conversation with every seller",
        "Hold a career conversation with each seller, separate from the pipeline 1:1: where they want to be "
        "in two years, and one stretch opportunity this quarter. Write the goals down.",
        30,
    ),
    # Open dialogue
    ActivitySeed(
        "open-dialogue",
        READING,
        "Read Radical Candor (Kim Scott)",
        "Read the book and map your last ten pieces of feedback onto its care personally / challenge "
        'directly grid. Ask two sellers for feedback on you, using its "What could I do or stop doing" '
        "question.",
        21,
    ),
    ActivitySeed(
        "open-dialogue",
        PRACTICE,
        "Run a blameless lost-deal retro",
        "Run a 45-minute retro on a recently lost deal with the seller and the team: what we knew, when we "
        "knew it, what we would do differently. No names attached to mistakes.",
        21,
    ),
    ActivitySeed(
        "open-dialogue",
        TRAINING,
        "Crucial Conversations course",
        "Complete the Crucial Conversations course (based on the book by Patterson, Grenny, McMillan and "
        "Switzler) and use it to prepare one conversation you have been putting off.",
        30,
    ),
    # Talent development
    ActivitySeed(
        "talent-development",
        PRACTICE,
        "Write a 30-60-90 ramp plan for your next hire",
        "Write the ramp plan with milestones (certified pitch, first qualified opportunity, first closed "
        "deal) and review it with your director before the hire starts.",
        14,
    ),
    ActivitySeed(
        "talent-development",
        PRACTICE,
        "Skill-will review of your team",
        "Place each seller on a skill-will matrix with evidence from calls and pipeline, and decide the "
        "approach per seller: direct, guide, excite or delegate. Walk your director through it.",
        14,
    ),
    ActivitySeed(
        "talent-development",
        READING,
        "Read Who: The A Method for Hiring (Geoff Smart and Randy Street)",
        "Read the book and write the scorecard (mission, outcomes, competencies) for your next open seat "
        "before the first interview.",
        21,
    ),
    # Cross-functional collaboration
    ActivitySeed(
        "cross-functional-collaboration",
        SHADOWING,
        "Shadow the solutions engineering lead for a day",
        "Spend a day with the SE lead: their deal triage, a discovery call and a demo. Come back with one "
        "change to how your team books SE time.",
        14,
    ),
    ActivitySeed(
        "cross-functional-collaboration",
        PRACTICE,
        "Write a joint deal plan for a strategic deal",
        "For your largest open deal, write the deal plan with SE, legal and the executive sponsor: roles, "
        "dates, and what each partner needs from your seller.",
        21,
    ),
    ActivitySeed(
        "cross-functional-collaboration",
        READING,
        "Read Influence Without Authority (Allan Cohen and David Bradford)",
        "Read the book and map one partner team's currencies (what they value), then reframe your next "
        "request to them around it.",
        21,
    ),
    # Business acumen
    ActivitySeed(
        "business-acumen",
        READING,
        "Read Financial Intelligence (Karen Berman and Joe Knight)",
        "Read the book, then read your three largest customers' latest annual reports and note the numbers "
        "our product moves for each.",
        30,
    ),
    ActivitySeed(
        "business-acumen",
        TRAINING,
        "Deal economics session with Finance",
        "A two-hour session with the finance business partner: gross margin per product, what discounts "
        "cost, and how multi-year terms change a deal's value.",
        21,
    ),
    ActivitySeed(
        "business-acumen",
        PRACTICE,
        "Build a CFO-ready business case",
        "With one seller, build the business case for a live deal in the customer's numbers (cost, "
        "payback, risk) and test it with your director playing the CFO.",
        21,
    ),
    # Data-driven decisions
    ActivitySeed(
        "data-driven-decisions",
        PRACTICE,
        "Stage-conversion review per seller",
        "Pull stage-to-stage conversion and win rate per seller for the last two quarters, name the stage "
        "where each loses most deals, and set that as their coaching focus.",
        14,
    ),
    ActivitySeed(
        "data-driven-decisions",
        READING,
        "Read Cracking the Sales Management Code (Jason Jordan and Michelle Vazzana)",
        "Read the book and sort the metrics you review every week into business results, sales objectives "
        "and sales activities; drop one you cannot manage.",
        21,
    ),
    ActivitySeed(
        "data-driven-decisions",
        TRAINING,
        "CRM dashboards workshop with RevOps",
        "Build your team dashboard with the RevOps partner: funnel, activity and win rate per seller, and "
        "the data-quality checks to run before trusting it.",
        14,
    ),
    # Change and AI adoption
    ActivitySeed(
        "change-and-ai-adoption",
        PRACTICE,
        "Run a four-week AI call-summary pilot",
        "Pilot AI call summaries with two early-adopter sellers: agree what good looks like, check a sample "
        "of summaries for accuracy each week, and share the results with the team.",
        28,
    ),
    ActivitySeed(
        "change-and-ai-adoption",
        READING,
        "Read Switch (Chip Heath and Dan Heath)",
        "Read the book and plan the next tool rollout with it: direct the rider, motivate the elephant, "
        "shape the path.",
        21,
    ),
    ActivitySeed(
        "change-and-ai-adoption",
        TRAINING,
        "AI assistants for sales managers",
        "Complete the enablement course on the AI assistants in our stack: prospecting research, call "
        "summaries, and how to check their output before a customer sees it.",
        14,
    ),
    # Customer-centricity
    ActivitySeed(
        "customer-centricity",
        PRACTICE,
        "Join three customer calls a week for a month",
        "Join three customer calls a week as a listener, and after each one ask the seller what problem the "
        "customer is solving and how they will measure success.",
        28,
    ),
    ActivitySeed(
        "customer-centricity",
        SHADOWING,
        "Shadow a customer success manager",
        "Spend half a day with a CSM on onboarding and renewal calls of customers your team sold, and bring "
        "back what the handoff missed.",
        14,
    ),
    ActivitySeed(
        "customer-centricity",
        READING,
        "Read The JOLT Effect (Matthew Dixon and Ted McKenna)",
        "Read the book and review your team's stalled deals for customer indecision rather than "
        "preference for the status quo; agree one change per deal with its seller.",
        21,
    ),
    # Resilience
    ActivitySeed(
        "resilience",
        PRACTICE,
        "Loss debrief within a day",
        "After each lost deal or missed month for the next six weeks, run a 30-minute debrief within a "
        "day: facts, what we control, the recovery plan. Keep the team's rituals running.",
        42,
    ),
    ActivitySeed(
        "resilience",
        MENTORSHIP,
        "Mentoring with a leader who turned around a quarter",
        "Three conversations with a senior leader who led a team through a missed quarter or a reorg: how "
        "they kept their energy, what they told the team, what they would do differently.",
        60,
    ),
    ActivitySeed(
        "resilience",
        READING,
        "Read Mindset (Carol Dweck)",
        "Read the book and notice your own reaction to the next setback: write down the fixed-mindset "
        "thought and the growth-mindset reframe, and share one with your team.",
        21,
    ),
    # Pipeline and forecast discipline
    ActivitySeed(
        "pipeline-and-forecast-discipline",
        PRACTICE,
        "Weekly MEDDPICC deal inspection",
        "For four weeks, inspect every commit deal against MEDDPICC with its seller before the forecast "
        "call; a deal without a confirmed economic buyer moves out of commit.",
        28,
    ),
    ActivitySeed(
        "pipeline-and-forecast-discipline",
        SHADOWING,
        "Shadow your director's forecast call prep",
        "Sit with your director while they prepare the regional forecast: which deals they question, what "
        "evidence they ask for, and how they call the number.",
        7,
    ),
    ActivitySeed(
        "pipeline-and-forecast-discipline",
        READING,
        "Read MEDDICC (Andy Whyte)",
        "Read the book and write the three qualification questions your team misses most often, then add "
        "them to the pipeline review template.",
        21,
    ),
    ActivitySeed(
        "pipeline-and-forecast-discipline",
        ONE_ON_ONE,
        "Forecast accuracy review with your director",
        "A 1:1 with your director comparing the last two quarters' calls with the results, deal by deal: "
        "where the forecast slipped and which signal you missed.",
        14,
    ),
)


@transaction.atomic
def activities_seed() -> int:
    """Adds the library's activities that are missing (by competency key and title) for the competencies
    that exist, leaving existing ones as leaders edited them. Returns how many were added. Idempotent."""
    competencies = Competency.objects.in_bulk({seed.competency for seed in ACTIVITY_LIBRARY}, field_name="key")
    existing = set(DevelopmentActivity.objects.values_list("competency__key", "title"))
    added = 0
    for seed in ACTIVITY_LIBRARY:
        competency = competencies.get(seed.competency)
        if competency is None or (seed.competency, seed.title) in existing:
            continue
        activity_create(
            competency=competency,
            by=None,
            kind=seed.kind,
            title=seed.title,
            description=seed.description,
            duration_days=seed.duration_days,
        )
        added += 1
    return added
