from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from managers.models import LEVELS, Competency


class CompetencyForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = [
            "name",
            "key",
            "kind",
            "description",
            "anchor_1",
            "anchor_2",
            "anchor_3",
            "anchor_4",
            "interview_questions",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            **{f"anchor_{level}": forms.Textarea(attrs={"rows": 2}) for level in LEVELS},
            "interview_questions": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {f"anchor_{level}": _("Observable behaviour at this level.") for level in LEVELS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save competency") if self.instance.pk else _("Add competency")))
        if self.instance.pk:
            del self.fields["key"]  # ratings and other systems refer to it
        else:
            del self.fields["is_active"]


class RequirementForm(forms.Form):
    """One competency a role requires; left at "not required" it is not."""

    required_level = forms.TypedChoiceField(
        label=_("Required level"),
        choices=[("", _("Not required")), *((level, level) for level in LEVELS)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    weight = forms.TypedChoiceField(
        label=_("Weight"), choices=[(weight, weight) for weight in range(1, 6)], coerce=int, initial=1
    )


class RoleRequirementsForm:
    """One RequirementForm per active competency (and per retired one the role still requires)."""

    def __init__(self, *, competencies, requirements, data=None):
        current = {requirement.competency_id: requirement for requirement in requirements}
        self.rows = []
        for competency in competencies:
            requirement = current.get(competency.pk)
            if not competency.is_active and requirement is None:
                continue
            initial = (
                {"required_level": requirement.required_level, "weight": requirement.weight} if requirement else {}
            )
            form = RequirementForm(data, initial=initial, prefix=f"c{competency.pk}")
            self.rows.append((competency, form))

    def is_valid(self) -> bool:
        return all([form.is_valid() for _competency, form in self.rows])

    def cleaned_rows(self) -> list[dict]:
        """Rows for `role_requirements_save`."""
        return [
            {
                "competency": competency,
                "required_level": form.cleaned_data["required_level"],
                "weight": form.cleaned_data["weight"],
            }
            for competency, form in self.rows
            if form.cleaned_data["required_level"] is not None
        ]
