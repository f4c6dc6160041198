"""A large organization for measuring the platform: `manage.py seed_large` builds, in an empty database,
about 5,000 people (50 sales leaders, 500 frontline managers, their sellers), 40 roles with published
charters, acknowledgements, readings and support ratings, assessments, 3,000 coaching plans with 30,000
tasks, 200 requisitions with 2,000 candidates and 8,000 scorecards, team pulses, recognition, support
requests and the reminders a sweep finds. Everything is written with `bulk_create` (one INSERT per few
thousand rows); nothing goes through the services, because their per-row checks and events are what the
load test measures, not what it needs to set up. `--people N` scales every count with N / 5,000.

It lives in `coaching` because it fills every app (dependencies point one way: coaching may import
managers and enablement).
"""

from coaching.large_org.build import LargeOrg, Shape, build_large_org

__all__ = ["LargeOrg", "Shape", "build_large_org"]
