from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from enablement.models import Person
from enablement.web.input_checks import parse_id
from managers.forms.support import add_support_rating_fields, support_heading, support_ratings_from
from managers.models import Acknowledgement, CharterVersion, Role, SuccessMetric, SupportItem
from managers.services.charters import ITEM_FIELDS


class RoleForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = ["name", "code", "description", "review_cadence_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save role") if self.instance.pk else _("Create role")))
        if self.instance.pk:
            del self.fields["code"]  # the key other systems use stays fixed


class RoleAssignForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    started_on = forms.DateField(label=_("Since"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("person", css_class="col-md-6"),
                Column("started_on", css_class="col-md-4"),
                Column(Submit("assign", _("Assign"), css_class="mt-md-4"), css_class="col-md-2"),
            )
        )


class CharterPurposeForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the role exists, in two or three sentences."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def _long_text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ItemForm(forms.Form):
    """One row of a draft's section. `columns` lays the fields out on a 12-column grid from the md
    breakpoint (stacked on a phone)."""

    columns: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.column = self.columns.get(name, "col-md")
            small = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", small)


class FocusAreaForm(ItemForm):
    title = forms.CharField(label=_("Focus area"), max_length=200)
    description = forms.CharField(label=_("What it means"), required=False, max_length=1000, widget=_long_text())
    time_share = forms.IntegerField(
        label=_("% of time"), min_value=0, max_value=100, widget=forms.NumberInput(attrs={"data-time-share": ""})
    )
    columns = {"title": "col-md-4", "description": "col-md-5", "time_share": "col-md-2"}


class DeprioritizedForm(ItemForm):
    activity = forms.CharField(label=_("Stop or hand off"), max_length=200)
    reason = forms.CharField(label=_("Why"), max_length=1000, widget=_long_text())
    hand_off_to = forms.CharField(label=_("Where it goes instead"), required=False, max_length=200, widget=_long_text())
    columns = {"activity": "col-md-3", "reason": "col-md-5", "hand_off_to": "col-md-3"}


class MetricForm(ItemForm):
    key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Metric"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=40)
    target = forms.DecimalField(
        label=_("Target"), max_digits=12, decimal_places=2, error_messages={"invalid": _("Enter a number.")}
    )
    # Initial values equal to what an untouched select posts, so the blank extra row counts as unchanged.
    direction = forms.ChoiceField(
        label=_("Better when"), choices=SuccessMetric.Direction.choices, initial=SuccessMetric.Direction.HIGHER
    )
    cadence = forms.ChoiceField(
        label=_("Cadence"), choices=SuccessMetric.Cadence.choices, initial=SuccessMetric.Cadence.MONTHLY
    )
    columns = {
        "name": "col-md-3",
        "unit": "col-6 col-md-2",
        "target": "col-6 col-md-2",
        "direction": "col-6 col-md-2",
        "cadence": "col-6 col-md-2",
    }


class SupportItemForm(ItemForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportItem.Kind.choices, initial=SupportItem.Kind.TOOL)
    name = forms.CharField(label=_("Name"), max_length=200)
    function = forms.CharField(label=_("Function (partners)"), required=False, max_length=200)
    detail = forms.CharField(label=_("Detail"), required=False, max_length=300, widget=_long_text())
    columns = {"kind": "col-md-2", "name": "col-md-3", "function": "col-md-2", "detail": "col-md-4"}


ITEM_FORMS = {
    "focus_areas": (FocusAreaForm, _("Focus areas: what to spend time on")),
    "deprioritized": (DeprioritizedForm, _("Deprioritized: what to stop or hand off")),
    "metrics": (MetricForm, _("Success metrics: what success looks like")),
    "support_items": (SupportItemForm, _("Support: tools, partners and resources")),
}
SECTION_LABELS = {
    "focus_areas": _("Focus area"),
    "deprioritized": _("Deprioritized activity"),
    "metrics": _("Success metric"),
    "support_items": _("Support item"),
}


class ItemFormSet(forms.BaseFormSet):
    """Rows kept in order by a hidden ORDER field, which the Up and Down buttons change (in the browser, or
    on the server without JavaScript: `move_row`)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].widget = forms.HiddenInput(attrs={"data-order": ""})
        form.fields["DELETE"].label = _("Remove")
        form.fields["DELETE"].widget.attrs.update({"data-delete": "", "class": "form-check-input"})


def move_row(data, move: str) -> bool:
    """Moves one row of a posted draft up or down, in `data` (a mutable copy of request.POST): `move` is
    "<section>-<index>:up" or ":down", as the row's button posts it. Rows are renumbered 1, 2, ... in their
    order; rows without an order (blank extra rows) stay last and unnumbered. False for a move that
    names no row or cannot go further."""
    target, _sep, direction = move.partition(":")
    section, _sep, index = target.rpartition("-")
    row_moved = parse_id(index) if index != "0" else 0
    if section not in ITEM_FORMS or direction not in ("up", "down") or row_moved is None:
        return False
    try:
        total = int(data.get(f"{section}-TOTAL_FORMS", 0))
    except ValueError:
        return False
    numbered = []
    for row in range(min(total, 1000)):
        try:
            numbered.append((int(data.get(f"{section}-{row}-ORDER", "")), row))
        except ValueError:
            continue
    order = [row for _position, row in sorted(numbered)]
    if row_moved not in order:
        return False
    position = order.index(row_moved)
    other = position - 1 if direction == "up" else position + 1
    if not 0 <= other < len(order):
        return False
    order[position], order[other] = order[other], order[position]
    for number, row in enumerate(order, start=1):
        data[f"{section}-{row}-ORDER"] = str(number)
    return True


class CharterDraftForms:
    """The purpose form and one orderable, deletable formset per item section, bound or initial, and the
    one summary of what is wrong with them."""

    def __init__(self, version: CharterVersion, data=None, *, show_errors: bool = True):
        self.purpose = CharterPurposeForm(data, initial={"purpose": version.purpose})
        self.service_errors: list[str] = []
        # False while rows are only being moved: nothing was submitted to check yet.
        self.show_errors = show_errors
        self.formsets = {}
        for section, (form_class, label) in ITEM_FORMS.items():
            formset_class = forms.formset_factory(
                form_class, formset=ItemFormSet, extra=1, can_delete=True, can_order=True
            )
            initial = [
                {name: getattr(item, name) for name in ITEM_FIELDS[section]} for item in getattr(version, section).all()
            ]
            formset = formset_class(data, initial=initial, prefix=section)
            formset.label, formset.section = label, section
            self.formsets[section] = formset

    def is_valid(self) -> bool:
        results = [self.purpose.is_valid(), *(formset.is_valid() for formset in self.formsets.values())]
        return all(results)

    def cleaned_data(self) -> dict:
        """Keyword arguments for `charter_draft_save`: rows in the order the leader chose, deletions dropped."""
        data = {"purpose": self.purpose.cleaned_data["purpose"]}
        for section, formset in self.formsets.items():
            data[section] = [
                {name: value for name, value in form.cleaned_data.items() if name not in ("ORDER", "DELETE")}
                for form in formset.ordered_forms
            ]
        return data

    def error_summary(self) -> list[tuple[str, str]]:
        """Every problem once, as (message, id of the field to jump to or ""): the service's refusals, then
        each field in error in page order (the message beside the field says what to fix)."""
        if not self.purpose.is_bound or not self.show_errors:
            return []
        summary = [(message, "") for message in self.service_errors]
        summary += [(message, "id_purpose") for message in self.purpose.errors.get("purpose", [])]
        for section, formset in self.formsets.items():
            summary += [(message, "") for message in formset.non_form_errors()]
            for number, form in enumerate(formset.forms, start=1):
                for name, messages in form.errors.items():
                    label = form.fields[name].label if name in form.fields else name
                    row = _("%(item)s %(number)s, %(field)s") % {
                        "item": SECTION_LABELS[section],
                        "number": number,
                        "field": str(label).lower(),
                    }
                    summary += [
                        (f"{row}: {message}", form[name].auto_id if name in form.fields else "") for message in messages
                    ]
        return summary

    def time_share_total(self) -> int:
        """The focus areas' shares as shown (posted or stored), leaving out rows marked for removal."""
        formset = self.formsets["focus_areas"]
        total = 0
        for form in formset.forms:
            value = form["time_share"].value()
            if form["DELETE"].value() or value in (None, ""):
                continue
            try:
                total += int(value)
            except (TypeError, ValueError):
                continue
        return total


class AcknowledgeForm(forms.ModelForm):
    RATINGS = [(value, str(value)) for value in range(1, 6)]

    clarity_focus = forms.TypedChoiceField(
        label=_("I know what to focus on"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    clarity_deprioritize = forms.TypedChoiceField(
        label=_("I know what to deprioritize"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    clarity_success = forms.TypedChoiceField(
        label=_("I know what success looks like"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )

    class Meta:
        model = Acknowledgement
        fields = ["clarity_focus", "clarity_deprioritize", "clarity_success", "question"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"question": _("Optional: anything unclear? Your leader will answer here.")}

    def __init__(self, *args, support_items: list[SupportItem] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.support_items = list(support_items)
        # Asked with the acknowledgement, not forced: the quarterly check-in asks again whoever skipped it.
        support = add_support_rating_fields(self, self.support_items, required=False)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            InlineRadios("clarity_focus"),
            InlineRadios("clarity_deprioritize"),
            InlineRadios("clarity_success"),
            "question",
            *([support_heading(), *support] if support else []),
        )
        self.helper.add_input(Submit("acknowledge", _("Acknowledge")))
        for name in ("clarity_focus", "clarity_deprioritize", "clarity_success"):
            self.fields[name].help_text = _("1 = not at all, 5 = completely")

    def acknowledgement_data(self) -> dict:
        """Keyword arguments for `charter_acknowledge`: the ratings, the question, and the support ratings."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        return {**data, "support_ratings": support_ratings_from(self.cleaned_data, self.support_items)}


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Send answer"), css_class="btn-sm"))


class ReadingForm(forms.Form):
    metric = forms.ModelChoiceField(label=_("Metric"), queryset=SuccessMetric.objects.none())
    day = forms.DateField(
        label=_("Period"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Any day in the period.")
    )
    value = forms.DecimalField(
        label=_("Value"), max_digits=12, decimal_places=2, error_messages={"invalid": _("Enter a number.")}
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, metrics: QuerySet[SuccessMetric], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = metrics
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("metric", css_class="col-md-3"),
                Column("day", css_class="col-md-3"),
                Column("value", css_class="col-md-2"),
                Column("note", css_class="col-md-3"),
                Column(Submit("record", _("Record"), css_class="mt-md-4"), css_class="col-md-1"),
            )
        )


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label=_("Compare"), queryset=CharterVersion.objects.none())
    b = forms.ModelChoiceField(label=_("with"), queryset=CharterVersion.objects.none())

    def __init__(self, *args, versions: QuerySet[CharterVersion], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = versions
        self.fields["b"].queryset = versions
        for field in self.fields.values():
            field.label_from_instance = lambda version: f"v{version.number} ({version.get_status_display()})"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("a", css_class="col-md-4"),
                Column("b", css_class="col-md-4"),
                Column(Submit("compare", _("Compare"), css_class="mt-md-4"), css_class="col-md-2"),
            )
        )
