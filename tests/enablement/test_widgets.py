import pytest
from django import forms
from pytest_django.asserts import assertHTMLEqual

from enablement.web.widgets import ChoicesSelect

CHOICES = [("", "All teams"), (1, "Field <b>Sales</b>"), (2, "EMEA & APAC"), (10, "Ten")]


@pytest.mark.parametrize("value", [None, "", "1", 2, "10", "<x>", ["2"]])
def test_choices_select_draws_what_djangos_select_draws(value):
    attrs = {"id": "id_team", "class": "form-select", "aria-invalid": "true"}
    ours = ChoicesSelect(choices=CHOICES).render("team", value, attrs=attrs)
    djangos = forms.Select(choices=CHOICES).render("team", value, attrs=attrs)
    assertHTMLEqual(ours, djangos)
    assert "<b>" not in ours


def test_a_field_with_choices_select_keeps_its_choices_and_validation():
    field = forms.TypedChoiceField(choices=CHOICES, coerce=int, empty_value=None, required=False, widget=ChoicesSelect)
    assert field.widget.choices == CHOICES
    assert field.clean("10") == 10
    with pytest.raises(forms.ValidationError):
        field.clean("3")
