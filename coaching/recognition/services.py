"""Giving recognition, with the rules against gaming (each a setting, README "Recognition"):

- nobody recognises themselves (also a check constraint);
- at most RECOGNITION_DAILY_CAP (5) a day per giver;
- a thank-you returned to someone who thanked the giver within RECOGNITION_RETURN_WINDOW_DAYS (14) is
  allowed but flagged `returned` and left out of figures;
- once a giver has given RECOGNITION_CONCENTRATION_AFTER (5), at most RECOGNITION_MAX_SHARE_PERCENT (25)
  of their counted recognitions go to one person; beyond that one is flagged `concentrated` and not
  counted.
Emits `recognition.given` (no reason text) in the same transaction.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import Recognition, RecognitionTag
from enablement.models import Person
from enablement.webhooks.outbox import emit
from enablement.webhooks.payloads import person_ref
from managers.models import Competency


def _flag(giver: Person, recipient: Person, now: datetime.datetime) -> str:
    since = now - datetime.timedelta(days=settings.RECOGNITION_RETURN_WINDOW_DAYS)
    if Recognition.objects.filter(giver=recipient, recipient=giver, created_at__gte=since).exists():
        return Recognition.Flag.RETURNED
    counted = Recognition.objects.filter(giver=giver, counts=True)
    total = Recognition.objects.filter(giver=giver).count() + 1
    if total > settings.RECOGNITION_CONCENTRATION_AFTER:
        to_one = counted.filter(recipient=recipient).count() + 1
        if to_one * 100 > settings.RECOGNITION_MAX_SHARE_PERCENT * (counted.count() + 1):
            return Recognition.Flag.CONCENTRATED
    return Recognition.Flag.NONE


@transaction.atomic
def recognition_give(
    *,
    giver: Person,
    recipient: Person,
    reason: str,
    tags: Sequence[str] = (),
    competency: Competency | None = None,
    visibility: str = Recognition.Visibility.TEAM,
    now: datetime.datetime | None = None,
) -> Recognition:
    """Raises ValidationError (self, no reason, no tag nor competency, unknown tag, over the daily cap,
    a recipient who left)."""
    now = now or timezone.now()
    if giver.pk == recipient.pk:
        raise ValidationError({"recipient": _("Recognise someone else: self-recognition does not count.")})
    if recipient.is_terminated:
        raise ValidationError({"recipient": _("%(who)s has left.") % {"who": recipient}})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what they did.")})
    tags = list(dict.fromkeys(tags))
    if set(tags) - set(RecognitionTag.values):
        raise ValidationError({"tags": _("Unknown tag.")})
    if not tags and competency is None:
        raise ValidationError({"tags": _("Pick at least one behaviour or a competency.")})
    # one giver at a time, so the cap and the shares are counted consistently
    Person.objects.select_for_update().filter(pk=giver.pk).first()
    day_start = now - datetime.timedelta(days=1)
    if Recognition.objects.filter(giver=giver, created_at__gte=day_start).count() >= settings.RECOGNITION_DAILY_CAP:
        raise ValidationError(_("You have reached today's limit of %(n)s.") % {"n": settings.RECOGNITION_DAILY_CAP})
    flag = _flag(giver, recipient, now)
    recognition = Recognition(
        giver=giver,
        recipient=recipient,
        reason=reason.strip(),
        tags=tags,
        competency=competency,
        visibility=visibility,
        flag=flag,
        counts=flag == Recognition.Flag.NONE,
    )
    recognition.full_clean()
    recognition.save()
    emit("recognition.given", [_payload(recognition)])
    return recognition


def _payload(recognition: Recognition) -> dict:
    return {
        "id": recognition.pk,
        "giver": person_ref(recognition.giver),
        "recipient": person_ref(recognition.recipient),
        "tags": recognition.tags,
        "competency": recognition.competency.key if recognition.competency_id else None,
        "visibility": recognition.visibility,
        "counts": recognition.counts,
        "given_at": recognition.created_at,
    }
