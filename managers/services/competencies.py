"""Writes to the competency framework: competencies and what each role requires of them."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enablement.accounts.policy import require
from enablement.org.services import apply_validated, changed_fields
from managers import policy
from managers.competency_library import COMPETENCY_LIBRARY
from managers.models import Competency, Role, RoleCompetency

COMPETENCY_FIELDS = (
    "name",
    "kind",
    "description",
    "anchor_1",
    "anchor_2",
    "anchor_3",
    "anchor_4",
    "interview_questions",
    "is_active",
)


@transaction.atomic
def competency_create(*, key: str, by: AbstractBaseUser | None, **values: Any) -> Competency:
    """Creates a competency, by a sales leader (PermissionDenied otherwise, as for every write below but the
    seed). Raises ValidationError with field messages (every anchor is required)."""
    require(by, policy.can_manage_competencies, message=policy.COMPETENCIES_DENIED)
    competency = Competency(key=key, **{name: values[name] for name in COMPETENCY_FIELDS if name in values})
    competency.full_clean()
    competency.save()
    return competency


@transaction.atomic
def competency_update(*, competency: Competency, by: AbstractBaseUser | None, **values: Any) -> Competency:
    """Changes a competency's text or retires it; its key stays (ratings and other systems refer to it).
    Saves only the fields that changed."""
    require(by, policy.can_manage_competencies, message=policy.COMPETENCIES_DENIED)
    changes = changed_fields(competency, values, COMPETENCY_FIELDS)
    if changes:
        apply_validated(competency, changes)
        competency.save(update_fields=[*changes, "updated_at"])
    return competency


@transaction.atomic
def competencies_seed() -> int:
    """Loads the seed framework (`managers.competency_library`), adding the competencies that are missing
    and leaving existing ones as leaders edited them. Returns how many were added. Idempotent."""
    existing = set(Competency.objects.values_list("key", flat=True))
    added = [
        Competency(
            key=seed.key,
            name=seed.name,
            kind=seed.kind,
            description=seed.description,
            anchor_1=seed.anchors[0],
            anchor_2=seed.anchors[1],
            anchor_3=seed.anchors[2],
            anchor_4=seed.anchors[3],
            interview_questions="\n".join(seed.questions),
        )
        for seed in COMPETENCY_LIBRARY
        if seed.key not in existing
    ]
    Competency.objects.bulk_create(added)
    return len(added)


@transaction.atomic
def role_requirements_save(
    *, role: Role, requirements: Sequence[Mapping[str, Any]], by: AbstractBaseUser | None
) -> list[RoleCompetency]:
    """Replaces what `role` requires: rows of `competency`, `required_level` (1-4) and `weight` (1-5).
    Rows that did not change are kept as they are. A competency named twice, or a retired one newly
    added, is refused, and then nothing changes."""
    require(by, policy.can_manage_competencies, message=policy.COMPETENCIES_DENIED)
    current = {requirement.competency_id: requirement for requirement in role.requirements.all()}
    seen: set[int] = set()
    errors: list[str] = []
    kept, created = [], []
    for row in requirements:
        competency: Competency = row["competency"]
        if competency.pk in seen:
            errors.append(_("%(name)s is listed twice.") % {"name": competency.name})
            continue
        seen.add(competency.pk)
        requirement = current.get(competency.pk)
        if requirement is None:
            if not competency.is_active:
                errors.append(_("%(name)s is retired.") % {"name": competency.name})
                continue
            requirement = RoleCompetency(role=role, competency=competency)
            created.append(requirement)
        data = {"required_level": row["required_level"], "weight": row["weight"]}
        changes = changed_fields(requirement, data, ("required_level", "weight"))
        try:
            apply_validated(requirement, changes)
        except ValidationError as error:
            errors.extend(f"{competency.name}: {message}" for message in error.messages)
            continue
        if requirement.pk and changes:
            requirement.save(update_fields=[*changes, "updated_at"])
        kept.append(requirement)
    if errors:
        raise ValidationError(errors)
    RoleCompetency.objects.bulk_create(created)
    role.requirements.exclude(competency__in=seen).delete()
    return kept
