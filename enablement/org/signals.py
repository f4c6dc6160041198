"""Signals other apps listen to; `enablement` imports no app above it, so it announces instead."""

from django.dispatch import Signal

# Sent inside the transaction that terminates a person, with `person` and `escalate_to` (the manager's
# manager, or None). Apps holding open work for that person flag it for `escalate_to`.
person_terminated = Signal()
