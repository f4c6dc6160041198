from django.urls import path

from coaching.pulse import views

# Included from coaching/urls.py under "pulse/", so the names live in the `coaching` namespace.
urlpatterns = [
    path("", views.pulse_home, name="pulse-home"),
    path("schedule/", views.pulse_schedule, name="pulse-schedule"),
    path("<int:pk>/", views.pulse_detail, name="pulse-detail"),
    path("<int:pk>/answer/", views.pulse_answer, name="pulse-answer"),
    path("<int:pk>/actions/", views.action_add, name="pulse-action-add"),
    path("actions/<int:pk>/done/", views.action_done, name="pulse-action-done"),
    path("series/<int:pk>/", views.series_detail, name="pulse-series"),
    path("series/<int:pk>/stop/", views.series_stop, name="pulse-series-stop"),
    path("rollups/<int:pk>/", views.rollup_detail, name="pulse-rollup"),
]
