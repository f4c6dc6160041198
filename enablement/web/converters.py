"""The path converter for ids (`<id:pk>`, registered by `EnablementConfig.ready`): 1 to 19 ASCII digits, at most
`input_checks.MAX_ID`. Django's `<int:>` matches any number of digits, and a 20-digit id overflows SQLite
wherever it is compared with a foreign key; here it matches no route, so it is a 404 like any unknown id."""

from enablement.web.input_checks import MAX_ID, parse_id


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        if (pk := parse_id(value)) is None:
            raise ValueError(f"not an id: at most {MAX_ID}")  # Django tries the next pattern, then 404
        return pk

    def to_url(self, value: int | str) -> str:
        return str(int(value))
