import datetime
from decimal import Decimal

import factory

from managers.models import (
    Acknowledgement,
    Candidate,
    CharterVersion,
    Competency,
    DeprioritizedActivity,
    FocusArea,
    Role,
    RoleAssignment,
    RoleCompetency,
    SuccessMetric,
    SupportItem,
)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    code = factory.Sequence(lambda n: f"role-{n}")
    name = factory.Sequence(lambda n: f"Frontline Sales Manager {n}")
    review_cadence_months = 6


class CharterVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CharterVersion

    role = factory.SubFactory(RoleFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = CharterVersion.Status.DRAFT
    purpose = "Build a team that hits its number sustainably by coaching every seller."


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    version = factory.SubFactory(CharterVersionFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Focus area {n}")
    time_share = 30


class DeprioritizedActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeprioritizedActivity

    version = factory.SubFactory(CharterVersionFactory)
    position = factory.Sequence(lambda n: n)
    activity = factory.Sequence(lambda n: f"Activity {n}")
    reason = "Someone else owns it."
    hand_off_to = "RevOps"


class SuccessMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuccessMetric

    version = factory.SubFactory(CharterVersionFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Metric {n}")
    unit = "%"
    target = Decimal("100")
    direction = SuccessMetric.Direction.HIGHER
    cadence = SuccessMetric.Cadence.MONTHLY


class SupportItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportItem

    version = factory.SubFactory(CharterVersionFactory)
    position = factory.Sequence(lambda n: n)
    kind = SupportItem.Kind.TOOL
    name = factory.Sequence(lambda n: f"Tool {n}")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    role = factory.SubFactory(RoleFactory)
    started_on = datetime.date(2026, 1, 1)


class AcknowledgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Acknowledgement

    version = factory.SubFactory(CharterVersionFactory)
    requested_at = factory.LazyFunction(lambda: datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))


def publishable_draft(role: Role | None = None, **kwargs) -> CharterVersion:
    """A draft with everything publishing asks for: purpose, two focus areas, one of each other item."""
    version = CharterVersionFactory(role=role or RoleFactory(), **kwargs)
    FocusAreaFactory(version=version, title="Coach every seller weekly", time_share=40)
    FocusAreaFactory(version=version, title="Run pipeline reviews", time_share=30)
    DeprioritizedActivityFactory(version=version, activity="Closing deals personally", reason="Sellers own deals.")
    SuccessMetricFactory(version=version, name="Team quota attainment", unit="%", target=Decimal("100"))
    SupportItemFactory(version=version, kind=SupportItem.Kind.PARTNER, name="Alex Kim", function="RevOps")
    return version


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"competency-{n}")
    name = factory.LazyAttribute(lambda competency: competency.key.replace("-", " ").capitalize())
    kind = Competency.Kind.SKILL
    description = "What it is and why it matters."
    anchor_1 = "Does it when prompted."
    anchor_2 = "Does it reliably for their own team."
    anchor_3 = "Does it well under pressure."
    anchor_4 = "Others copy how they do it."
    interview_questions = "Tell me about a time you did this.\nWhat would you do differently?"


class RoleCompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleCompetency

    role = factory.SubFactory(RoleFactory)
    competency = factory.SubFactory(CompetencyFactory)
    required_level = 3
    weight = 1


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"candidate{n}@mail.example")
