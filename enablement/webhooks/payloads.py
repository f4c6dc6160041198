"""Small pieces the apps use to build webhook payloads (each documented by its registered EventType)."""

from django.contrib.auth.models import AbstractBaseUser

from enablement.models import Person


def person_ref(person: Person | None) -> dict | None:
    if person is None:
        return None
    return {"id": person.pk, "external_id": person.external_id}


def user_person_ref(user: AbstractBaseUser | None) -> dict | None:
    """The person a signed-in account belongs to, or None for an account with no place in the org
    (an HR admin, an API client, a recruiter outside the sales org). One query."""
    if user is None or user.pk is None:
        return None
    return Person.objects.filter(user=user).values("id", "external_id").first()
