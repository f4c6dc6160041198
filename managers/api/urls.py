from rest_framework.routers import DefaultRouter

from managers.api import views

router = DefaultRouter()
router.register("roles", views.RoleViewSet, basename="role")
router.register("charter-versions", views.CharterVersionViewSet, basename="charter-version")
router.register("acknowledgements", views.AcknowledgementViewSet, basename="acknowledgement")
router.register("metric-readings", views.MetricReadingViewSet, basename="metric-reading")

urlpatterns = router.urls
