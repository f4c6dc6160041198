"""Signals `managers` sends for the apps above it (coaching, the integration API), sent inside the
transaction of the change, so a receiver's writes commit or roll back with it."""

from django.dispatch import Signal

# `version`, `by`: a charter version was published (its holders are asked to acknowledge it).
charter_published = Signal()
# `acknowledgement`, `by`: a holder acknowledged the published charter of their role.
charter_acknowledged = Signal()
# `scorecard`, `by`: a scorecard was submitted.
scorecard_submitted = Signal()
# `application`, `by`: a hire or reject decision was recorded.
application_decided = Signal()
# `application`, `person`, `evidence` (competency id -> HiringEvidence), `by`: a candidate was hired and
# is now `person`. Coaching records the evidence as a "hiring" assessment and starts a plan from it.
candidate_hired = Signal()
