"""Form fields that take database ids only as ids (see `input_checks.parse_id`).

Django's `ModelMultipleChoiceField` puts whatever was posted into `pk__in`: "²" passes `isdigit()` but not
`int()`, and an id beyond 64 bits overflows SQLite. Here a value that is no id is the field's own
"not a valid value" error, before any query.
"""

from django import forms
from django.core.exceptions import ValidationError

from enablement.web.input_checks import parse_id


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if parse_id(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)
