from django import template

register = template.Library()


@register.simple_tag
def score_for(profile, competency_id: int):
    """The CompetencyScore of `competency_id` in a candidate profile, or None."""
    if profile is None:
        return None
    return profile.score_for(competency_id)
