"""The demo's ten candidates, as data: their applications, interviews (before and after today), the
scorecards filled in so far and where each one's story ends. `managers.demo.hiring` plays them through
the services."""

from dataclasses import dataclass

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
from managers.demo.requisitions import (
    COMMERCIAL_REQ,
    CROSS_PANEL,
    ENTERPRISE_REQ,
    FORECAST_CASE,
    HM,
    PIPELINE_CASE,
    ROLE_PLAY,
)
from managers.models import Application, Scorecard

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


CANDIDATES = (
    CandidateSpec(
        ENTERPRISE_REQ,
        "Rebecca",
        "Thornton",
        "rebecca.thornton@example.com",
        "+1 646 555 0117",
        "ATS-C-20431",
        "LinkedIn",
    ),
    CandidateSpec(
        ENTERPRISE_REQ,
        "Tomás",
        "Echeverría",
        "tomas.echeverria@example.net",
        "+1 312 555 0188",
        "ATS-C-20412",
        "Employee referral",
        screen_note="Phone screen booked: eight years selling core-banking software, first-line manager "
        "of five AEs since 2023; open to relocating from Chicago.",
    ),
    CandidateSpec(
        ENTERPRISE_REQ,
        "Naledi",
        "Mokoena",
        "naledi.mokoena@example.org",
        "+1 917 555 0164",
        "ATS-C-20377",
        "Agency: Harbor Search Partners",
        screen_note="Strong screen: manages six enterprise AEs at a payments company; team at 108% of plan last year.",
        interviews=(
            InterviewSpec(
                HM,
                "director1",
                -6,
                10,
                SUBMITTED,
                Scorecard.Recommendation.YES,
                "Commercially the strongest candidate so far: thinks in margin and term, not just bookings, and "
                "keeps the customer's outcome in view. Open question for the loop: how much of her team's forecast "
                "accuracy is her process and how much a strong RevOps partner.",
                (
                    Rated(
                        BUSINESS,
                        4,
                        "Rebuilt a $1.8M renewal procurement wanted at 25% off: traded the discount "
                        "down to 9% for a three-year term and a reference case, and gave the margin effect in points "
                        "without notes. Showed the one-page value case every seller of hers writes for deals over "
                        "$250k.",
                    ),
                    Rated(
                        CUSTOMER,
                        3,
                        "Walked away from a data-residency deal her team could not support at a "
                        "tier-one bank and introduced a partner instead; the bank came back a year later for a $900k "
                        "platform deal. Asks 'how will the customer measure success?' in every deal review.",
                    ),
                    Rated(STORYTELLING, None, "Not assessed: we ran out of time. The coaching role play covers it."),
                ),
            ),
            InterviewSpec(
                FORECAST_CASE,
                "manager1",
                -3,
                14,
                SUBMITTED,
                Scorecard.Recommendation.NO,
                "Confident and articulate, but she inspected the case pipeline on optimism rather than evidence and "
                "did not connect the promised discount to the quarter's margin. That is the core of the job in "
                "Financial Services, so I lean no unless the other interviews show a different picture.",
                (
                    Rated(
                        BUSINESS,
                        2,
                        "Ranked the $1.2M bank deal first on size alone and did not ask about the 30% "
                        "discount already promised to the buyer; weighed margin against the quarter's number only "
                        "when prompted.",
                    ),
                    Rated(
                        PIPELINE,
                        2,
                        "Accepted two of the three commit dates as the seller gave them. Asked for next "
                        "steps but not for the economic buyer, the paper process or a mutual close plan; her commit "
                        "of $2.4M was $700k above what the evidence in the case supported.",
                    ),
                ),
            ),
            InterviewSpec(ROLE_PLAY, "manager4", 2, 11),
            InterviewSpec(CROSS_PANEL, "manager5", 3, 15),
        ),
    ),
    CandidateSpec(
        ENTERPRISE_REQ,
        "Siobhan",
        "Gallagher",
        "siobhan.gallagher@example.com",
        "+1 201 555 0139",
        "ATS-C-20298",
        "Employee referral",
        screen_note="Referred by a former colleague on the team; leads a seven-person enterprise team in insurance "
        "software, promoted from AE in 2022.",
        interviews=(
            InterviewSpec(
                HM,
                "director1",
                -12,
                10,
                SUBMITTED,
                Scorecard.Recommendation.YES,
                "A steady, commercially sound leader who manages through her sellers rather than around them. "
                "Would hire; the loop should confirm her coaching depth and how she works with solutions engineering.",
                (
                    Rated(
                        BUSINESS,
                        3,
                        "Walked away from a quarter-end deal at 40% off that would have broken the "
                        "region's margin floor and won it the next quarter at 15% with a larger scope. Knows her "
                        "team's win rate and average cycle length by segment.",
                    ),
                    Rated(
                        CUSTOMER,
                        3,
                        "Keeps a 'customer's definition of success' field on every opportunity and "
                        "sends deals back in review when it is empty. Slowed one deal to bring customer success in "
                        "before signature.",
                    ),
                    Rated(
                        STORYTELLING,
                        3,
                        "Told the turnaround of a stalled insurance account as situation, stakes "
                        "and the one decision she needed, in under three minutes, and adapted when I interrupted "
                        "with a CFO-style challenge.",
                    ),
                ),
            ),
            InterviewSpec(
                ROLE_PLAY,
                "manager2",
                -10,
                14,
                SUBMITTED,
                Scorecard.Recommendation.STRONG_YES,
                "The best coaching role play in this loop: she told a skill gap from a will gap within five minutes "
                "and coached it without taking the call over.",
                (
                    Rated(
                        COACHING,
                        3,
                        "With a seller who kept discounting early, she asked three questions before "
                        "giving any advice, had the seller replay the pricing objection twice, and ended with one "
                        "practice commitment for the next call.",
                    ),
                    Rated(
                        STORYTELLING,
                        3,
                        "Reframed the seller's pitch around the customer's claims-processing cost "
                        "instead of features; the mock seller could repeat her opening back straight away.",
                    ),
                ),
            ),
            InterviewSpec(
                FORECAST_CASE,
                "manager3",
                -8,
                11,
                SUBMITTED,
                Scorecard.Recommendation.YES,
                "Disciplined and calm in the forecast. Exactly the deal inspection an enterprise team needs.",
                (
                    Rated(
                        PIPELINE,
                        3,
                        "Inspected each commit deal on evidence: who signs, what the paper process is, "
                        "what happens if the date slips. Moved one deal from commit to best case and said why; her "
                        "number landed within 5% of the case answer.",
                    ),
                    Rated(
                        BUSINESS,
                        3,
                        "Saw that the largest deal's multi-year discount made it worth less than two "
                        "smaller deals and moved the seller's time accordingly.",
                    ),
                ),
            ),
            InterviewSpec(
                CROSS_PANEL,
                "manager5",
                -7,
                15,
                SUBMITTED,
                Scorecard.Recommendation.STRONG_YES,
                "Partner teams would want to work with her. Strong yes.",
                (
                    Rated(
                        CROSS_FUNCTIONAL,
                        4,
                        "Co-designed the sales-to-customer-success handoff with the CS "
                        "director: a joint kickoff checklist RevOps now uses for every enterprise deal. Negotiated "
                        "solutions-engineering cover for a strategic deal by giving up two smaller evaluations.",
                    ),
                    Rated(
                        CUSTOMER,
                        3,
                        "Took a customer's onboarding complaints to product and got a fix prioritised, "
                        "framed as renewal risk rather than her own quota.",
                    ),
                ),
            ),
        ),
        outcome=Stage.DECISION,
        note="Debrief held: four of four interviewers recommend hire. References requested.",
    ),
    CandidateSpec(
        ENTERPRISE_REQ,
        "Gregory",
        "Hale",
        "greg.hale@example.com",
        "+1 347 555 0102",
        "ATS-C-20315",
        "Careers site",
        screen_note="Top enterprise AE (President's Club 2024) with no formal management experience; led onboarding "
        "for two new hires.",
        interviews=(
            InterviewSpec(
                HM,
                "director1",
                -15,
                16,
                SUBMITTED,
                Scorecard.Recommendation.NO,
                "An excellent individual closer, but I did not hear a manager yet: every answer came back to deals "
                "he would close himself.",
                (
                    Rated(
                        BUSINESS,
                        2,
                        "Knows the economics of his own deals well; asked how discounting across a team "
                        "affects the region's margin, he described his personal closing tactics instead.",
                    ),
                    Rated(
                        CUSTOMER,
                        1,
                        "Described customers by deal size and close date; his example of putting the "
                        "customer first was getting a contract signed before their fiscal year end.",
                    ),
                    Rated(
                        STORYTELLING,
                        2,
                        "Clear and energetic telling his own deal stories; struggled to explain a "
                        "plan for the team in terms of why it matters to them.",
                    ),
                ),
            ),
            InterviewSpec(
                ROLE_PLAY,
                "manager6",
                -13,
                11,
                SUBMITTED,
                Scorecard.Recommendation.STRONG_NO,
                "Not ready to coach yet. Could become a strong manager after a year in a team-lead stretch role.",
                (
                    Rated(
                        COACHING,
                        1,
                        "Two minutes into the role play he took the customer conversation over from the "
                        "seller and closed it himself. Asked what the seller should practise, he said 'watch how I "
                        "do it'.",
                    ),
                    Rated(STORYTELLING, None, "Not assessed: the role play did not get that far."),
                ),
            ),
        ),
        outcome=Stage.REJECTED,
        note="Both interviewers recommend no. A strong individual closer, but no evidence yet of coaching (he took "
        "the role-play call over instead of coaching the seller) or of leading through others; the hiring manager "
        "agrees. Pointed him to the Senior AE, Strategic Accounts opening and will keep in touch for a team-lead role.",
    ),
    CandidateSpec(
        COMMERCIAL_REQ,
        "Aaliyah",
        "Jefferson",
        "aaliyah.jefferson@example.com",
        "+1 512 555 0151",
        "ATS-C-20440",
        "LinkedIn",
    ),
    CandidateSpec(
        COMMERCIAL_REQ,
        "Kenji",
        "Watanabe",
        "kenji.watanabe@example.net",
        "+1 737 555 0126",
        "ATS-C-20436",
        "Careers site",
        screen_note="Screen scheduled: SMB sales manager at a payroll start-up with eight SDRs and AEs; "
        "wants a larger mid-market book.",
    ),
    CandidateSpec(
        COMMERCIAL_REQ,
        "Lucía",
        "Paredes",
        "lucia.paredes@example.org",
        "+1 512 555 0173",
        "ATS-C-20388",
        "Employee referral",
        screen_note="Good screen: runs a mid-market team of seven on 30-day cycles; at or above plan 11 months of 12.",
        interviews=(
            InterviewSpec(
                HM,
                "director2",
                -5,
                10,
                SUBMITTED,
                Scorecard.Recommendation.YES,
                "Builds and ramps teams well and stays steady under pressure. Less evidence on bringing in new "
                "tools; the pipeline case may show more. Yes.",
                (
                    Rated(
                        TALENT,
                        3,
                        "Ramped her last two hires to a first closed deal in 38 and 44 days on a written "
                        "30-60-90 plan, front-loading discovery practice for the one who came from customer success. "
                        "Managed one seller out after a documented 60-day plan.",
                    ),
                    Rated(
                        RESILIENCE,
                        3,
                        "Lost the team's largest renewal in March, ran a loss debrief the next "
                        "morning, re-planned coverage per seller, and the team finished the quarter at 97%.",
                    ),
                    Rated(
                        CHANGE,
                        2,
                        "Uses AI call summaries herself and asks her sellers to, but checks adoption only "
                        "informally and had no answer yet for how she verifies the summaries.",
                    ),
                ),
            ),
            # Started but not submitted, days after the interview: the overdue scorecard of the demo.
            InterviewSpec(
                ROLE_PLAY,
                "manager8",
                -4,
                13,
                DRAFT,
                ratings=(
                    Rated(
                        COACHING,
                        3,
                        "Had the seller self-assess the discovery call first, then replayed the budget "
                        "question with them twice.",
                    ),
                ),
            ),
            InterviewSpec(PIPELINE_CASE, "manager11", 1, 10),
        ),
    ),
    CandidateSpec(
        COMMERCIAL_REQ,
        "Owen",
        "Fitzgerald",
        "owen.fitzgerald@example.com",
        "+1 214 555 0190",
        "ATS-C-20351",
        "Agency: Lonestar Talent",
        screen_note="Mid-market manager at a logistics SaaS company, team of six; known for his team's weekly "
        "call-review habit.",
        interviews=(
            InterviewSpec(
                HM,
                "director2",
                -11,
                11,
                SUBMITTED,
                Scorecard.Recommendation.YES,
                "A solid builder of teams with honest self-awareness. Yes, if the coaching interviews hold up.",
                (
                    Rated(
                        TALENT,
                        3,
                        "Showed the ramp scorecard he built (certified pitch by week 2, first qualified "
                        "opportunity by week 4); his last three hires closed a first deal within 50 days.",
                    ),
                    Rated(
                        RESILIENCE,
                        2,
                        "Recovered from a missed quarter with a clear plan, but admits he worked the "
                        "biggest deals himself for a month instead of coaching, and named it as a pattern to watch.",
                    ),
                    Rated(CHANGE, None, "Not assessed: we spent the time on ramp and performance management."),
                ),
            ),
            InterviewSpec(
                ROLE_PLAY,
                "manager10",
                -9,
                14,
                SUBMITTED,
                Scorecard.Recommendation.STRONG_YES,
                "An outstanding coach: specific, patient and systematic. Strong yes.",
                (
                    Rated(
                        COACHING,
                        4,
                        "Ran the role play as a call review: played back the seller's discovery call, "
                        "had her find the missed question, practised it twice and set a follow-up. Showed the "
                        "call-review rubric three peer managers now use.",
                    ),
                    Rated(
                        DIALOGUE,
                        3,
                        "Invited the mock seller to disagree with his read of the deal and changed his "
                        "advice when she made the better argument; runs a blameless lost-deal retro every month.",
                    ),
                ),
            ),
            InterviewSpec(
                PIPELINE_CASE,
                "manager7",
                -8,
                10,
                SUBMITTED,
                Scorecard.Recommendation.YES,
                "Strong on pipeline and data. Under time pressure his coaching was directive, unlike in the role "
                "play, which is worth discussing in the debrief. Yes.",
                (
                    Rated(
                        PIPELINE,
                        3,
                        "Moved two deals out of commit after asking about the signer and the paper "
                        "process; his forecast for the case landed within 4% of the answer.",
                    ),
                    Rated(
                        DATA,
                        3,
                        "Pulled stage conversion per seller from the case data, found one seller losing "
                        "most deals between demo and proposal, and made that her coaching focus.",
                    ),
                    Rated(
                        COACHING,
                        2,
                        "With the struggling seller he diagnosed the problem himself and told her the "
                        "fix instead of asking; no practice or follow-up was agreed.",
                    ),
                ),
            ),
        ),
        outcome=Stage.DECISION,
        note="Coaching ratings split (4 in the role play, 2 in the pipeline case): the hiring manager talks to both "
        "interviewers before deciding.",
    ),
    CandidateSpec(
        COMMERCIAL_REQ,
        "Chloe",
        "Ashworth",
        "chloe.ashworth@example.com",
        "+1 512 555 0135",
        "ATS-C-20367",
        "LinkedIn",
        screen_note="Screened: runs an inbound SMB team of nine; salary expectation at the top of the band.",
        outcome=Stage.WITHDRAWN,
        note="Withdrew after the screen: accepted a counter-offer from her current employer.",
    ),
)
