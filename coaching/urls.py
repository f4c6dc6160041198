from django.urls import path

app_name = "coaching"

# Each area's pages; the modules are listed here so the URL names stay in one file per app.
urlpatterns: list = [
    # -- development: My development, plans, tasks, goals, sessions, self-assessments --
    # -- team and leaders: people I coach, gaps, starting plans, assessments, heatmap, activity library --
]
