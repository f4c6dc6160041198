"""The shape of a demo candidate's story: their application, interviews (before and after today), the
scorecards filled in so far and where the story ends. The candidates themselves are in
`enterprise_candidates` and `commercial_candidates`; `managers.demo.hiring` plays them through the
services."""

from dataclasses import dataclass

from managers.models import Application

Stage = Application.Stage
SUBMITTED, DRAFT, SCHEDULED = "submitted", "draft", "scheduled"


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
