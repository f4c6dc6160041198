from collections.abc import Iterable

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Layout, Row, Submit
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from enablement.models import Person
from managers.models import SupportFunction, SupportItem, SupportRequest
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
            label=format_html(
                "{} <span class='badge text-bg-light border'>{}</span>", item.name, item.get_kind_display()
            ),
            choices=SCORES,
            coerce=int,
            widget=forms.RadioSelect,
            initial=initial.get(item.pk, (None, ""))[0],
            required=required,
            empty_value=None,
            help_text=_("This works for me: 1 = not at all, 5 = completely"),
        )
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


class SupportRequestForm(forms.Form):
    """What blocks a manager, and who owns it: a function (its named owner answers) or a person by email."""

    title = forms.CharField(
        label=_("What is blocked?"), max_length=200, help_text=_('In one line, e.g. "CPQ approvals take five days".')
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportRequest.Kind.choices)
    description = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you tried, what it costs your team, what would help."),
    )
    support_item = forms.ModelChoiceField(
        label=_("Support in your charter it concerns"), required=False, queryset=SupportItem.objects.none()
    )
    function = forms.ModelChoiceField(
        label=_("Raise it to a function"), required=False, queryset=SupportFunction.objects.none()
    )
    owner_email = forms.EmailField(label=_("…or to a person (work email)"), required=False)

    def __init__(self, *args, items, functions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_item"].queryset = items
        self.fields["function"].queryset = functions
        self.fields["function"].label_from_instance = lambda function: f"{function.name} ({function.owner})"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "title",
            Row(Column("kind", css_class="col-md-6"), Column("support_item", css_class="col-md-6")),
            "description",
            Row(Column("function", css_class="col-md-6"), Column("owner_email", css_class="col-md-6")),
        )
        self.helper.add_input(Submit("raise", _("Raise the request")))

    def clean_owner_email(self) -> Person | None:
        email = self.cleaned_data.get("owner_email")
        if not email:
            return None
        owner = Person.objects.current().filter(email__iexact=email).select_related("user").first()
        if owner is None:
            raise forms.ValidationError(_("Nobody in the org has this email."))
        return owner

    def request_data(self) -> dict:
        """Keyword arguments for `support_request_raise`."""
        data = dict(self.cleaned_data)
        data["owner"] = data.pop("owner_email")
        return data


class SupportTransitionForm(forms.Form):
    """The owner moves a request on, with a note (the reason, when declining)."""

    state = forms.ChoiceField(label=_("Move to"), choices=())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you did, or why you decline it (required to decline)."),
    )

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [(state, SupportRequest.State(state).label) for state in states]


class SupportConfirmForm(forms.Form):
    """The raiser's answer to "did this fix it?": a yes closes it, a no reopens it."""

    fixed = forms.TypedChoiceField(
        choices=(("yes", _("Yes")), ("no", _("No"))), coerce=lambda value: value == "yes", widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Anything to add?"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's two buttons post `fixed`: yes or no
        self.helper.layout = Layout("note")


class SupportCommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


STATE_CHOICES = [("", _("Any state")), ("open", _("Still open")), *SupportRequest.State.choices]
AGE_CHOICES = [
    ("", _("Any age")),
    ("week", _("Up to 7 days")),
    ("month", _("8 to 30 days")),
    ("older", _("Over 30 days")),
]


class SupportFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("Requests"), required=False, choices=())
    function = forms.ModelChoiceField(label=_("Function"), required=False, queryset=SupportFunction.objects.none())
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)
    age = forms.ChoiceField(label=_("Age"), required=False, choices=AGE_CHOICES)
    overdue = forms.BooleanField(label=_("First response overdue"), required=False)

    def __init__(self, *args, scopes, functions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scopes
        self.fields["function"].queryset = functions
        self.fields["function"].empty_label = _("All functions")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("scope", css_class="col-md-3"),
                Column("function", css_class="col-md-3"),
                Column("state", css_class="col-md-2"),
                Column("age", css_class="col-md-2"),
                Column("overdue", Submit("filter", _("Filter"), css_class="btn-sm"), css_class="col-md-2"),
            )
        )
