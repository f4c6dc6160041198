from collections.abc import Iterable

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Layout, Submit
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from managers.models import SupportItem
from managers.services.support import RatingInput

SCORES = [(value, str(value)) for value in range(1, 6)]


def add_support_rating_fields(
    form: forms.Form, items: Iterable[SupportItem], initial: dict | None = None, *, required: bool = True
) -> list:
    """Adds a 1-5 score and an optional note per support item to `form`; returns their layout."""
    layout = []
    initial = initial or {}
    for item in items:
        score, note = f"support_{item.pk}", f"support_note_{item.pk}"
        form.fields[score] = forms.TypedChoiceField(
            label=format_html("{} <span class='badge text-bg-light border'>{}</span>", item.name,
                              item.get_kind_display()),
            choices=SCORES, coerce=int, widget=forms.RadioSelect, initial=initial.get(item.pk, (None, ""))[0],
            required=required, empty_value=None,
            help_text=_("This works for me: 1 = not at all, 5 = completely"),
        )  # fmt: skip
        form.fields[note] = forms.CharField(
            label=_("Note (optional)"), required=False, max_length=300, initial=initial.get(item.pk, (None, ""))[1]
        )
        layout.append(Div(InlineRadios(score), note, css_class="border-start ps-3 mb-3", data_testid=f"rate-{item.pk}"))
    return layout


def support_ratings_from(cleaned_data: dict, items: Iterable[SupportItem]) -> dict[int, RatingInput]:
    return {
        item.pk: RatingInput(cleaned_data[f"support_{item.pk}"], cleaned_data.get(f"support_note_{item.pk}", ""))
        for item in items
        if cleaned_data.get(f"support_{item.pk}") is not None
    }


class SupportRatingsForm(forms.Form):
    """A holder's quarterly rating of each support item of their charter."""

    def __init__(self, *args, items: list[SupportItem], initial_ratings: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.helper = FormHelper()
        self.helper.layout = Layout(*add_support_rating_fields(self, items, initial_ratings))
        self.helper.add_input(Submit("rate", _("Save my ratings")))

    def ratings(self) -> dict[int, RatingInput]:
        return support_ratings_from(self.cleaned_data, self.items)


def support_heading() -> HTML:
    return HTML(
        '<h3 class="h6 mt-3">{}</h3><p class="small text-body-secondary">{}</p>'.format(
            _("How well does the support work for you?"),
            _("Your leader sees these ratings; low ones are where they can help."),
        )
    )
