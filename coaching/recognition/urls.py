from django.urls import path

from coaching.recognition import views

# Included from coaching/urls.py under "recognition/", so the names live in the `coaching` namespace.
urlpatterns = [
    path("", views.recognition_feed, name="recognition-feed"),
    path("give/", views.recognition_give, name="recognition-give"),
    path("received/", views.recognition_received, name="recognition-received"),
    path("people/<id:pk>/", views.recognition_received, name="recognition-person"),
]
