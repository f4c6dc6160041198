from django.urls import path

from coaching.impact import views

# Included from coaching/urls.py under "impact/", so the names live in the `coaching` namespace.
urlpatterns = [
    path("", views.impact, name="impact"),
    path("me/", views.my_impact, name="my-impact"),
    path("managers/<id:pk>/", views.impact_card, name="impact-card"),
]
