"""Every write to support: ratings of a charter's support items, and support requests (raise, respond,
resolve or decline, confirm the fix, comment). Each runs in one transaction and validates first."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.models import Person
from managers.models import CharterVersion, RoleAssignment, SuccessMetric, SupportItem, SupportRating
from managers.periods import period_start


@dataclass(frozen=True)
class RatingInput:
    score: int
    note: str = ""


def support_quarter(day: datetime.date) -> datetime.date:
    """The quarter a rating given on `day` is for (its first day)."""
    return period_start(day, SuccessMetric.Cadence.QUARTERLY)


def current_support_items(person: Person) -> list[SupportItem]:
    """The support items of the published charter of the role `person` holds now (none without one)."""
    assignment = RoleAssignment.objects.filter(person=person, ended_on__isnull=True).first()
    if assignment is None:
        return []
    return list(
        SupportItem.objects.filter(
            version__role_id=assignment.role_id, version__status=CharterVersion.Status.PUBLISHED
        ).select_related("version")
    )


@transaction.atomic
def support_ratings_record(
    *,
    person: Person,
    ratings: Mapping[int, RatingInput],
    by: AbstractBaseUser,
    occasion: str = SupportRating.Occasion.QUARTERLY,
    today: datetime.date | None = None,
) -> list[SupportRating]:
    """Records the person's rating (1-5, optional note) of every support item of the charter they hold
    now, keyed by item id, for the current quarter; rating again within the quarter corrects it, and the
    same score and note again changes nothing.

    Only the person rates their own support. Raises ValidationError when they hold no role with a
    published charter that names support, when an item is not in that charter or one is left out, or
    when a score is not 1-5; then nothing is written.
    """
    if person.user_id is None or person.user_id != by.pk:
        raise ValidationError(_("Only %(person)s can rate the support they get.") % {"person": person})
    items = {item.pk: item for item in current_support_items(person)}
    if not items:
        raise ValidationError(_("Your current charter names no support to rate."))
    unknown = sorted(set(ratings) - set(items))
    if unknown:
        raise ValidationError(
            {"support_ratings": _("Not a support item of your current charter: %(ids)s.")
             % {"ids": ", ".join(map(str, unknown))}}
        )  # fmt: skip
    missing = [items[pk].name for pk in items if pk not in ratings]
    if missing:
        raise ValidationError({"support_ratings": _("Rate every support item; missing: %(names)s.")
                               % {"names": ", ".join(missing)}})  # fmt: skip
    quarter = support_quarter(today or timezone.localdate())
    stored = {rating.item_id: rating for rating in SupportRating.objects.filter(person=person, quarter=quarter,
                                                                               item__in=items)}  # fmt: skip
    saved = []
    for pk, item in items.items():
        given = ratings[pk]
        rating = stored.get(pk) or SupportRating(person=person, item=item, quarter=quarter)
        if rating.pk and (rating.score, rating.note) == (given.score, given.note.strip()):
            saved.append(rating)
            continue
        rating.role_id, rating.item_kind, rating.item_name = item.version.role_id, item.kind, item.name
        rating.score, rating.note, rating.occasion = given.score, given.note.strip(), occasion
        rating.full_clean()
        rating.save()
        saved.append(rating)
    return saved
