"""The five candidates for the commercial requisition (REQ-1192), in the order the demo adds them."""

from managers.demo.candidates import DRAFT, SUBMITTED, CandidateSpec, InterviewSpec, Rated, Stage
from managers.demo.requirements import CHANGE, COACHING, DATA, DIALOGUE, PIPELINE, RESILIENCE, TALENT
from managers.demo.requisitions import COMMERCIAL_REQ, HM, PIPELINE_CASE, ROLE_PLAY
from managers.models import Scorecard

COMMERCIAL_CANDIDATES = (
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
