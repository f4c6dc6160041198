"""The seed question bank: questions written for sales teams, each mapped to one lever (or engagement)
and, where one fits, to a competency (by key; linked when the framework has it). Sales leaders edit the
bank in the admin; `question_bank_load` adds what is missing and never overwrites an edit."""

from dataclasses import dataclass

AGREE, ENPS, CHECK_BACK = "agree", "enps", "check_back"
CHECK_BACK_KEY = "check-back"
ENPS_KEY = "enps"


@dataclass(frozen=True)
class SeedQuestion:
    key: str
    text: str
    lever: str
    competency: str = ""
    scale: str = AGREE


QUESTIONS: tuple[SeedQuestion, ...] = (
    SeedQuestion("priorities", "I know which deals and activities to prioritise and which to drop.", "clarity"),
    SeedQuestion("success-looks-like", "I know what success looks like in my role this quarter.", "clarity"),
    SeedQuestion(
        "changes-explained", "When plans or territories change, my manager explains why.", "clarity", "open-dialogue"
    ),
    SeedQuestion(
        "call-feedback", "My manager gives me actionable feedback on my calls and deals.", "skills", "coaching"
    ),
    SeedQuestion(
        "development-talk",
        "In the last six months my manager talked with me about my development.",
        "skills",
        "talent-development",
    ),
    SeedQuestion(
        "deal-strategy",
        "My manager helps me build a winning strategy for my biggest deals.",
        "skills",
        "business-acumen",
    ),
    SeedQuestion(
        "forecast-coaching",
        "Pipeline reviews with my manager help me forecast and close, not just report.",
        "skills",
        "pipeline-and-forecast-discipline",
    ),
    SeedQuestion(
        "partners-support",
        "I get what I need from marketing, customer success and operations to win deals.",
        "support",
        "cross-functional-collaboration",
    ),
    SeedQuestion("obstacles-resolved", "Obstacles I raise get resolved or explained.", "support"),
    SeedQuestion(
        "tools-work",
        "Our CRM and sales tools help me sell rather than slow me down.",
        "support",
        "change-and-ai-adoption",
    ),
    SeedQuestion(
        "data-for-decisions",
        "I have the data I need to decide where to spend my time.",
        "support",
        "data-driven-decisions",
    ),
    SeedQuestion(
        "psychological-safety",
        "I feel safe to share market insights and to try new approaches.",
        "engagement",
        "open-dialogue",
    ),
    SeedQuestion("recognised", "Good work on this team is recognised, not only closed deals.", "engagement"),
    SeedQuestion(
        "resilience-support",
        "After a lost deal my manager helps me learn from it and move on.",
        "engagement",
        "resilience",
    ),
    SeedQuestion(ENPS_KEY, "How likely are you to recommend working for this manager?", "engagement", scale=ENPS),
    SeedQuestion(
        CHECK_BACK_KEY,
        "Last time, your manager said they would act on your feedback. Did it happen?",
        "engagement",
        scale=CHECK_BACK,
    ),
)


def question_bank_load(question_model, competency_model) -> int:
    """Creates the seed questions that are missing (by key); returns how many. Takes the models so a
    migration can pass its historical ones."""
    existing = set(question_model.objects.values_list("key", flat=True))
    competencies = dict(competency_model.objects.values_list("key", "pk"))
    new = [
        question_model(
            key=seed.key,
            text=seed.text,
            lever=seed.lever,
            scale=seed.scale,
            position=position,
            competency_id=competencies.get(seed.competency),
            # The check-back question is asked by the platform, never chosen from the bank.
            is_active=seed.scale != CHECK_BACK,
        )
        for position, seed in enumerate(QUESTIONS, start=1)
        if seed.key not in existing
    ]
    question_model.objects.bulk_create(new)
    return len(new)
