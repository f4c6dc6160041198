"""The API's parsers (`REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`): DRF's JSON, form and multipart parsers, each
refusing a body the rest of the code could not take, before any view sees it
(`enablement.api.base.ServiceViewSet` reads the body first):

- JSON nested deeper than `MAX_JSON_DEPTH` (a 2 KB body of 1,000 brackets exhausts Python's stack): a 400
  `parse_error`, as for malformed JSON;
- a string with a NUL or an unpaired surrogate, or a number beyond 64 bits (`1e400`, `10**30`), anywhere in the
  body (`enablement.web.input_checks`): a 400 `invalid` whose `errors` point at each such value, nested as the body
  is (`{"people": {"0": {"external_id": ["..."]}}}`).

Values only reach a database or an answer through these, so no field needs its own guard.
"""

import codecs

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.utils import json

from enablement.web.input_checks import data_problems

__all__ = ["FormParser", "JSONParser", "MAX_JSON_DEPTH", "MultiPartParser"]

# Far more than any body this API describes (a bulk row sits at depth 3), far less than Python's stack.
MAX_JSON_DEPTH = 32
TOO_DEEP = _("The JSON body is nested more than %(depth)d levels deep.")


def _too_deep(data: object, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return False


def _refuse_problems(data: object) -> None:
    if errors := data_problems(data):
        raise ValidationError(errors)


def _form_values(data: QueryDict) -> dict:
    """A form's fields with their values: one value as itself, several as a list."""
    return {key: values[0] if len(values) == 1 else values for key, values in data.lists()}


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except ValueError as error:  # malformed, or not in the declared encoding
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        except RecursionError:
            raise ParseError(TOO_DEEP % {"depth": MAX_JSON_DEPTH}) from None
        if _too_deep(data, MAX_JSON_DEPTH):
            raise ParseError(TOO_DEEP % {"depth": MAX_JSON_DEPTH})
        _refuse_problems(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_problems(_form_values(data))
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_problems(_form_values(parsed.data))
        return parsed
