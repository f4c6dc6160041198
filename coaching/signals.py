"""Signals coaching sends (for the integration API's webhooks), inside the transaction of the change."""

from django.dispatch import Signal

# `task`, `by`: a coaching task was marked done.
coaching_task_completed = Signal()
# `plan`, `by`: a coaching plan was completed.
coaching_plan_completed = Signal()
