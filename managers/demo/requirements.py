"""What each demo role requires: the competency keys the demos use (hiring and coaching), and per role code
(competency key, required level, weight). The hiring step sets them on a role that has none; the coaching
demo reads them."""

from managers.demo.charter_specs import COMMERCIAL, ENTERPRISE

BUSINESS, CROSS_FUNCTIONAL, CUSTOMER = "business-acumen", "cross-functional-collaboration", "customer-centricity"
COACHING, STORYTELLING, PIPELINE = "coaching", "storytelling", "pipeline-and-forecast-discipline"
DATA, TALENT, CHANGE = "data-driven-decisions", "talent-development", "change-and-ai-adoption"
RESILIENCE, DIALOGUE, MENTORSHIP = "resilience", "open-dialogue", "mentorship"

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
