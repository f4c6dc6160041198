"""Coaching's answers to what other apps announce."""

from coaching.services import assessment_record_from_hiring


def record_hiring_assessment(sender, *, application, person, evidence, by, **kwargs) -> None:
    assessment_record_from_hiring(application=application, person=person, evidence=evidence, by=by)
