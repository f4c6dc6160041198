"""The demo's two frontline sales manager roles and their charters, as data: what version 1 says, what
version 2 changes, who acknowledges which version (with their clarity ratings and questions) and the
leader's answers. `managers.demo.charters` writes them through the services."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from managers.models import SuccessMetric, SupportItem

QUOTA = "Team quota attainment"
RAMP = "New-seller ramp time"
RETENTION = "Seller retention (trailing 12 months)"
COACHING = "Coaching hours per seller per month"

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Ack:
    username: str
    ratings: tuple[int, int, int]  # focus, deprioritize, success
    question: str = ""


@dataclass(frozen=True)
class Answer:
    version: int
    username: str
    text: str


@dataclass(frozen=True)
class Revision:
    """What version 2 changes in the copy of version 1."""

    time_shares: dict[str, int]
    descriptions: dict[str, str]
    deprioritized_added: Rows


@dataclass(frozen=True)
class CharterSpec:
    code: str
    name: str
    description: str
    director: str
    managers: tuple[str, ...]
    purpose: str
    focus_areas: Rows
    deprioritized: Rows
    metrics: Rows
    support_items: Rows
    acknowledgements: dict[int, list[Ack]]
    answers: list[Answer] = field(default_factory=list)
    revision: Revision | None = None


def _metrics(ramp_days: int) -> Rows:
    higher, lower = SuccessMetric.Direction.HIGHER, SuccessMetric.Direction.LOWER
    monthly, quarterly = SuccessMetric.Cadence.MONTHLY, SuccessMetric.Cadence.QUARTERLY
    return [
        {"name": QUOTA, "unit": "%", "target": Decimal(100), "direction": higher, "cadence": monthly},
        {"name": RAMP, "unit": "days", "target": Decimal(ramp_days), "direction": lower, "cadence": quarterly},
        {"name": RETENTION, "unit": "%", "target": Decimal(90), "direction": higher, "cadence": quarterly},
        {"name": COACHING, "unit": "hours", "target": Decimal(4), "direction": higher, "cadence": monthly},
    ]


def _focus(title: str, time_share: int, description: str) -> dict[str, Any]:
    return {"title": title, "time_share": time_share, "description": description}


def _stop(activity: str, hand_off_to: str, reason: str) -> dict[str, str]:
    return {"activity": activity, "hand_off_to": hand_off_to, "reason": reason}


def _tool(name: str, detail: str) -> dict[str, str]:
    return {"kind": SupportItem.Kind.TOOL, "name": name, "function": "", "detail": detail}


def _partner(name: str, function: str, detail: str) -> dict[str, str]:
    return {"kind": SupportItem.Kind.PARTNER, "name": name, "function": function, "detail": detail}


def _resource(name: str, detail: str) -> dict[str, str]:
    return {"kind": SupportItem.Kind.RESOURCE, "name": name, "function": "", "detail": detail}


CLOSING = (
    "When you take over a deal the seller learns nothing, the customer learns to wait for you, and the "
    "team's capacity stays capped at one manager. Coach the seller through the close; join a call only "
    "in a role the seller asked you to play."
)
REPORTING = (
    "Pipeline, activity and attainment reports already exist and are the single source of truth. A "
    "manager's own version is a second number to argue about, and it costs hours every week."
)
SPREADSHEETS = (
    "The forecast lives in Salesforce. A side spreadsheet hides the deal-level evidence, drifts from the "
    "CRM within a week and cannot be inspected in a deal review."
)
PLAYBOOK = _resource("Frontline Manager Coaching Playbook", "One-skill 1:1 format, call review rubric, feedback notes")

ENTERPRISE = CharterSpec(
    code="fsm-enterprise",
    name="Frontline Sales Manager, Enterprise",
    description="Leads a team of seven enterprise sellers on six- to nine-month, multi-stakeholder deals.",
    director="director1",
    managers=tuple(f"manager{number}" for number in range(1, 7)),
    purpose=(
        "Build an enterprise team that forecasts accurately and hits its number quarter after quarter "
        "because every seller is coached, not because the manager closes the deals. You are measured by "
        "the team's results and by the sellers you develop: your time goes to your people and their "
        "pipeline, not to a deal list of your own."
    ),
    focus_areas=[
        _focus(
            "Coach every seller",
            40,
            "A weekly 1:1 with each seller built around one skill, not a status update. Listen to at least "
            "two recorded calls per seller a week and give written feedback within 48 hours. Join key "
            "meetings as a coach: debrief afterwards, do not take over the call.",
        ),
        _focus(
            "Run rigorous pipeline and deal reviews",
            25,
            "A weekly pipeline review with each seller in Salesforce: MEDDPICC gaps, next steps with dates, "
            "close dates that match the buyer's process. Call the forecast on Monday with evidence; a deal "
            "without a confirmed economic buyer is not commit.",
        ),
        _focus(
            "Hire and onboard",
            15,
            "Keep two qualified candidates in process for every open or at-risk seat. Interview with the "
            "structured scorecard, and own each new seller's 90-day ramp plan, checked every week.",
        ),
        _focus(
            "Cross-functional deal strategy",
            10,
            "For deals above $250k, bring solution engineering, legal and an executive sponsor in early "
            "with a written deal plan, so no deal stalls in procurement for want of one.",
        ),
    ],
    deprioritized=[
        _stop("Closing deals personally", "The account executive who owns the deal", CLOSING),
        _stop("Building internal reports RevOps already owns", "RevOps dashboards in Salesforce", REPORTING),
        _stop("Ad-hoc forecasting spreadsheets", "Salesforce forecast categories, kept by each seller", SPREADSHEETS),
    ],
    metrics=_metrics(ramp_days=120),
    support_items=[
        _tool("Salesforce", "CRM of record: pipeline, forecast categories and every deal review run from it"),
        _tool("Gong", "Call recording: review two calls per seller a week and share clips as coaching examples"),
        _partner("Rachel Kim", "Revenue Operations partner", "Territories, quota questions, dashboard changes"),
        _partner("Tomás Aguilar", "Sales Enablement partner", "New-seller onboarding curriculum, skill workshops"),
        _partner("Lena Hoffmann", "Solutions Engineering lead", "SE coverage and deal plans above $250k"),
        PLAYBOOK,
        _resource("Enterprise 90-day ramp plan", "Week-by-week plan for a new enterprise seller, with checkpoints"),
    ],
    revision=Revision(
        time_shares={"Coach every seller": 45, "Hire and onboard": 10},
        descriptions={
            "Hire and onboard": "New headcount is frozen until the FY27 plan; backfills go ahead. Keep one "
            "qualified candidate in process for every at-risk seat, interview with the structured scorecard, "
            "and own each new seller's 90-day ramp plan, checked every week."
        },
        deprioritized_added=[
            _stop(
                "Approving discounts inside the published bands",
                "Deal desk (RevOps), within the published discount bands",
                "Discounts up to 15% within the price book need no manager's judgement; routing them through "
                "you delays deals by days and costs you hours a week.",
            )
        ],
    ),
    acknowledgements={
        1: [
            Ack("manager1", (4, 4, 5)),
            Ack("manager2", (4, 3, 4)),
            Ack("manager3", (3, 3, 4)),
            Ack("manager4", (5, 4, 5)),
            Ack("manager5", (4, 4, 4)),
        ],
        2: [
            Ack("manager2", (5, 4, 5)),
            Ack(
                "manager3",
                (4, 4, 3),
                "With hiring down to 10%, do I still run the final interview for the open Public Sector "
                "seat, or does that move to you?",
            ),
            Ack("manager4", (5, 5, 5)),
            Ack(
                "manager5",
                (4, 3, 4),
                "If deal desk approves discounts inside the bands, do I still see those deals before the "
                "quote goes to the customer?",
            ),
            Ack("manager6", (3, 4, 4)),
        ],
    },
    answers=[
        Answer(
            2,
            "manager3",
            "Keep running it: that seat is a backfill, and backfills go ahead. The 10% reflects the freeze on "
            "new headcount. If the loop needs more of your time this month, take it from deal strategy and "
            "tell me in our 1:1.",
        )
    ],
)

COMMERCIAL = CharterSpec(
    code="fsm-commercial",
    name="Frontline Sales Manager, Commercial",
    description="Leads a team of seven mid-market and SMB sellers on 30- to 60-day sales cycles.",
    director="director2",
    managers=tuple(f"manager{number}" for number in range(7, 13)),
    purpose=(
        "Run a high-velocity commercial team in which every seller builds and converts enough pipeline to "
        "hit quota every month. Your leverage is coaching at scale (consistent discovery, tight "
        "qualification, fast follow-up) and a bench that keeps every seat filled and ramping."
    ),
    focus_areas=[
        _focus(
            "Coach discovery and qualification",
            40,
            "A weekly 1:1 with each seller and a 30-minute team call review. Review three calls per seller a "
            "week against the discovery scorecard; pick one behaviour to change and check it the next week.",
        ),
        _focus(
            "Pipeline reviews and pipeline generation",
            30,
            "Twice-weekly pipeline stand-up: coverage of three times the monthly quota, every deal that "
            "slipped twice inspected, and enough first meetings booked with the SDRs for next month.",
        ),
        _focus(
            "Hire and onboard",
            20,
            "Commercial seats turn over faster: keep candidates in process for every seat likely to open next "
            "quarter, and run the first two weeks of each new seller's onboarding yourself.",
        ),
    ],
    deprioritized=[
        _stop("Taking over deals to close them", "The account executive who owns the deal", CLOSING),
        _stop("Internal reporting RevOps already owns", "RevOps dashboards in Salesforce", REPORTING),
        _stop(
            "Ad-hoc forecasting spreadsheets", "Salesforce forecast, submitted by each seller on Monday", SPREADSHEETS
        ),
        _stop(
            "Custom pricing on deals under $25k",
            "Standard price book; exceptions to the deal desk",
            "Small deals should close on list price; custom quotes lengthen the cycle more than they raise "
            "the win rate.",
        ),
    ],
    metrics=_metrics(ramp_days=90),
    support_items=[
        _tool("Salesforce", "CRM of record: pipeline coverage, forecast and activity"),
        _tool("Gong", "Call recording: the weekly team call review picks its calls here"),
        _tool("Outreach", "Sequences for follow-up; templates owned by enablement"),
        _partner("Daniel Reyes", "Revenue Operations partner", "Territories, routing rules, dashboard changes"),
        _partner("Sofia Lindgren", "Sales Enablement partner", "Onboarding bootcamp, discovery certification"),
        _partner("Kofi Asante", "SDR team lead", "First-meeting volume and hand-off quality from the SDRs"),
        PLAYBOOK,
        _resource("Commercial discovery scorecard", "The seven discovery behaviours the call reviews score"),
    ],
    acknowledgements={
        1: [
            Ack("manager7", (5, 4, 4)),
            Ack("manager8", (4, 4, 5)),
            Ack(
                "manager9",
                (3, 4, 4),
                "Does the weekly team call review count towards coaching hours per seller, or only 1:1 time?",
            ),
            Ack("manager10", (4, 3, 3)),
        ],
    },
)

CHARTERS = (ENTERPRISE, COMMERCIAL)
