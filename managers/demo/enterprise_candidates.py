"""The five candidates for the enterprise requisition (REQ-1187), in the order the demo adds them."""

from managers.demo.candidates import SUBMITTED, CandidateSpec, InterviewSpec, Rated, Stage
from managers.demo.requirements import BUSINESS, COACHING, CROSS_FUNCTIONAL, CUSTOMER, PIPELINE, STORYTELLING
from managers.demo.requisitions import CROSS_PANEL, ENTERPRISE_REQ, FORECAST_CASE, HM, ROLE_PLAY
from managers.models import Scorecard

ENTERPRISE_CANDIDATES = (
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
)
