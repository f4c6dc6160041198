"""The pair every competency form repeats per competency: a level 1-4 (or none) chosen with the
competency's anchors beside it, and the evidence for it. The scorecard, the leader's assessment and the
self-assessment build their rows with `add_rating_fields`, changing only the words."""

from django import forms
from django.forms import BoundField

from managers.competency_library import LEVEL_NAMES

LEVEL_CHOICES = [(level, f"{level} · {name}") for level, name in LEVEL_NAMES.items()]


def add_rating_fields(
    form: forms.BaseForm,
    competency_id: int,
    *,
    prefix: str,
    label: str,
    none_label: str,
    evidence_label: str,
    evidence_help: str,
) -> tuple[BoundField, BoundField]:
    """Adds `<prefix>_<id>` (the level, None when not given) and `evidence_<id>` to `form`; returns them
    bound, for the page to lay out beside the anchors."""
    level_name, evidence_name = f"{prefix}_{competency_id}", f"evidence_{competency_id}"
    form.fields[level_name] = forms.TypedChoiceField(
        label=label,
        choices=[("", none_label), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    form.fields[evidence_name] = forms.CharField(
        label=evidence_label, required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=evidence_help
    )
    return form[level_name], form[evidence_name]
