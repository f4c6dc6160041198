from django.urls import include, path

from coaching.views import development, leader, team

app_name = "coaching"

# Each area's pages; the modules are listed here so the URL names stay in one file per app.
urlpatterns: list = [
    # -- development: My development, plans, tasks, goals, sessions, self-assessments --
    path("my-development/", development.my_development, name="my-development"),
    path("plans/<id:pk>/", development.plan_detail, name="plan-detail"),
    path("plans/<id:pk>/activate/", development.plan_activate, name="plan-activate"),
    path("plans/<id:pk>/complete/", development.plan_complete, name="plan-complete"),
    path("plans/<id:pk>/archive/", development.plan_archive, name="plan-archive"),
    path("plans/<id:pk>/sessions/", development.session_add, name="session-add"),
    path("plans/<id:pk>/tasks/", development.task_add, name="task-add"),
    path("plans/<id:pk>/goals/", development.goal_add, name="goal-add"),
    path("goals/<id:pk>/", development.goal_update, name="goal-update"),
    path("tasks/<id:pk>/complete/", development.task_complete, name="task-complete"),
    path("tasks/<id:pk>/state/", development.task_state, name="task-state"),
    path("tasks/<id:pk>/reopen/", development.task_reopen, name="task-reopen"),
    path("tasks/<id:pk>/reschedule/", development.task_reschedule, name="task-reschedule"),
    path("self-assessments/<id:pk>/", development.self_assessment, name="self-assessment"),
    # -- team and leaders: people I coach, gaps, starting plans, assessments, heatmap, activity library --
    path("team/", team.team, name="team"),
    path("people/<id:pk>/gaps/", team.person_gaps, name="person-gaps"),
    path("people/<id:pk>/plans/new/", team.plan_create, name="plan-create"),
    path("people/<id:pk>/self-assessment/request/", team.assessment_request, name="assessment-request"),
    path("people/<id:pk>/assessments/new/", team.assessment_record, name="assessment-record"),
    path("heatmap/", leader.heatmap, name="heatmap"),
    path("heatmap/under/<id:pk>/", leader.heatmap_under, name="heatmap-under"),
    path("heatmap/<str:row>/<id:competency>/", leader.heatmap_cell, name="heatmap-cell"),
    path("activities/", leader.activity_list, name="activity-list"),
    path("activities/new/", leader.activity_create, name="activity-create"),
    path("activities/<id:pk>/edit/", leader.activity_edit, name="activity-edit"),
    path("pulse/", include("coaching.pulse.urls")),
    path("recognition/", include("coaching.recognition.urls")),
    path("impact/", include("coaching.impact.urls")),
]
