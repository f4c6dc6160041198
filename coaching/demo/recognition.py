"""The demo recognition feed: about forty thank-yous over the last eleven weeks, between sellers of one team,
across teams and up and down the org, each given through `recognition_give` and its rules (so the one
returned within 14 days, seller4 thanking seller3 back, is flagged and not counted), then dated back to the
day it was given.

manager1's team is where to look: seller1, seller2, seller4 and seller6 were recognised in the last 60 days;
seller3's only thank-you is the returned one, seller7's is older than 60 days and seller5 has none, so
manager1's private coverage reads 4 of 7. Keyed by giver, recipient and reason: a second run adds nothing.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from coaching.models import Recognition
from coaching.recognition.services import recognition_give
from enablement.models import Person
from managers.models import Competency

TEAM, PRIVATE = Recognition.Visibility.TEAM, Recognition.Visibility.PRIVATE


@dataclass(frozen=True)
class Thanks:
    giver: str
    recipient: str
    days_ago: int
    tags: tuple[str, ...]
    reason: str
    competency: str = ""
    visibility: str = TEAM


FEED = (
    Thanks(
        "manager1",
        "seller7",
        74,
        ("customer",),
        "Stayed on the Halvorsen outage call until their CFO was reassured; they renewed for three years.",
    ),
    Thanks(
        "seller9",
        "seller12",
        71,
        ("insight",),
        "Spotted that three Nordic prospects all froze budgets the same week and told the whole floor why.",
    ),
    Thanks(
        "director2",
        "manager9",
        69,
        (),
        "Ran the Mid-Market forecast call without a single surprise this quarter.",
        "pipeline-and-forecast-discipline",
    ),
    Thanks(
        "seller23",
        "seller22",
        66,
        ("prospecting",),
        "Booked four first meetings at Brightwell from one LinkedIn thread nobody else had touched.",
    ),
    Thanks(
        "manager4",
        "seller27",
        64,
        ("new_approach",),
        "Tried the video-first outreach sequence and shared the reply rates with everyone, good and bad.",
    ),
    Thanks(
        "seller44",
        "seller47",
        62,
        ("collaboration",),
        "Sat with our solution engineer for a whole afternoon to rebuild the Orbitek demo around their use case.",
    ),
    Thanks(
        "seller2",
        "seller1",
        58,
        ("customer",),
        "Covered my Acme renewal call while I was out and sent me perfect notes.",
    ),
    Thanks(
        "manager1",
        "seller1",
        55,
        ("prospecting",),
        "Opened the Keller Logistics account from a cold call and kept at it for two months.",
    ),
    Thanks(
        "seller12",
        "seller2",
        53,
        ("collaboration",),
        "Walked our SMB team through the enterprise security questionnaire so we stop starting from scratch.",
    ),
    Thanks(
        "cso",
        "director1",
        51,
        ("brand",),
        "Your keynote at the FinServ summit brought us eleven inbound requests in a week.",
    ),
    Thanks(
        "seller30",
        "seller33",
        49,
        ("insight",),
        "Found the procurement change at Veridian before anyone, and saved the quarter's biggest deal.",
    ),
    Thanks(
        "manager2",
        "seller10",
        47,
        ("customer",),
        "Turned an angry escalation at Pinecrest into a case study they asked to be named in.",
    ),
    Thanks(
        "seller57",
        "seller60",
        45,
        ("new_approach",),
        "Piloted the AI call summaries and wrote the how-to the rest of us now use.",
        "change-and-ai-adoption",
    ),
    Thanks(
        "seller64",
        "seller71",
        44,
        ("collaboration",),
        "Lent us your pricing model for the Lumen bid at eleven at night.",
    ),
    Thanks(
        "manager6",
        "seller39",
        42,
        (),
        "Kept going after losing Northgate and won Saltmarsh two weeks later.",
        "resilience",
    ),
    Thanks(
        "seller15",
        "seller18",
        40,
        ("prospecting",),
        "Rebuilt our territory list from scratch and found thirty accounts we had never called.",
    ),
    Thanks(
        "director1",
        "manager3",
        38,
        ("collaboration",),
        "Got marketing and CS into one room for the pipeline sync your team asked for.",
    ),
    Thanks("seller50", "seller53", 36, ("brand",), "Your post on the Carrow rollout got shared by their CIO."),
    Thanks(
        "manager1",
        "seller6",
        34,
        ("customer",),
        "Handled the Dalton billing mess with patience; they told me so themselves.",
        visibility=PRIVATE,
    ),
    Thanks(
        "seller8",
        "seller11",
        33,
        ("insight",),
        "Shared the competitor's new discounting pattern with the whole segment the day you saw it.",
    ),
    Thanks(
        "seller74",
        "seller77",
        31,
        ("prospecting",),
        "Came back from the trade show with twelve qualified meetings, not just badges scanned.",
    ),
    Thanks(
        "manager9",
        "seller61",
        29,
        (),
        "Coached two new SDRs through their first month without being asked.",
        "mentorship",
    ),
    Thanks(
        "seller36",
        "seller38",
        27,
        ("collaboration",),
        "Pulled in product to answer the Ferro API questions on the call itself.",
    ),
    Thanks(
        "seller22",
        "seller25",
        26,
        ("new_approach",),
        "Tested a shorter discovery script and cut our first calls to twenty minutes.",
    ),
    Thanks(
        "manager11",
        "seller73",
        24,
        ("customer",),
        "Flew out to Brennan on a day's notice when their rollout stalled.",
        visibility=PRIVATE,
    ),
    Thanks(
        "seller3",
        "seller4",
        21,
        ("collaboration",),
        "Built the joint account plan for Meridian with me over two weekends.",
    ),
    Thanks(
        "seller65", "seller68", 20, ("insight",), "Your win-loss notes on the last five deals changed how we price."
    ),
    Thanks("seller4", "seller3", 17, ("collaboration",), "Thanks back for Meridian: you did the hard part."),
    Thanks("manager8", "seller54", 15, ("prospecting",), "Two new logos from outbound in one week."),
    Thanks(
        "seller43",
        "seller46",
        14,
        ("brand",),
        "Spoke at the regional user group and three prospects came up afterwards.",
    ),
    Thanks(
        "director2",
        "manager7",
        13,
        ("collaboration",),
        "Lent two of your sellers to Mid-Market South during their crunch.",
    ),
    Thanks(
        "seller16",
        "seller20",
        12,
        ("customer",),
        "Answered a customer's weekend emergency and looped in support properly.",
    ),
    Thanks("seller79", "seller83", 11, ("prospecting",), "Your cold email template is now the team's default."),
    Thanks(
        "manager3", "director1", 10, (), "Backed me when I pushed back on the Q3 discount exception.", "open-dialogue"
    ),
    Thanks("seller31", "seller34", 9, ("new_approach",), "Tried selling the bundle first at Oakridge and it worked."),
    Thanks("seller1", "seller2", 8, ("insight",), "Told us about the Kestrel reorg before their champion left."),
    Thanks(
        "manager5", "seller32", 6, ("customer",), "Caught the contract error before it went to Halden's legal team."
    ),
    Thanks(
        "seller58",
        "seller62",
        5,
        ("collaboration",),
        "Ran the handover of my accounts while I am on leave; not one customer noticed.",
    ),
    Thanks("seller66", "seller64", 3, ("brand",), "The webinar you hosted filled up in two days."),
    Thanks(
        "seller26",
        "seller24",
        2,
        ("prospecting",),
        "Kept calling Westbrook after three no-shows; meeting booked for Tuesday.",
    ),
    Thanks("seller5", "seller1", 1, ("customer",), "Helped me prepare for the Nordhaven QBR at short notice."),
)


def _at(days_ago: int, today: datetime.date) -> datetime.datetime:
    day = today - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(10 + days_ago % 7), tzinfo=timezone.get_current_timezone())


def seed_recognition_feed() -> int:
    """Gives the feed's thank-yous that are missing, oldest first, each dated back to its day; returns how many
    recognitions the feed holds."""
    today = timezone.localdate()
    usernames = {name for thanks in FEED for name in (thanks.giver, thanks.recipient)}
    people = {
        person.user.username: person
        for person in Person.objects.filter(user__username__in=usernames).select_related("user")
        if not person.is_terminated
    }
    competencies = Competency.objects.in_bulk(field_name="key")
    for thanks in sorted(FEED, key=lambda thanks: -thanks.days_ago):
        giver, recipient = people.get(thanks.giver), people.get(thanks.recipient)
        if giver is None or recipient is None:
            continue
        if Recognition.objects.filter(giver=giver, recipient=recipient, reason=thanks.reason).exists():
            continue
        at = _at(thanks.days_ago, today)
        given = recognition_give(
            giver=giver,
            recipient=recipient,
            reason=thanks.reason,
            tags=thanks.tags,
            competency=competencies.get(thanks.competency),
            visibility=thanks.visibility,
            now=at,
        )
        Recognition.objects.filter(pk=given.pk).update(created_at=at, updated_at=at)
    return Recognition.objects.filter(giver__in=people.values()).count()
