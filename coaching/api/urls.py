from rest_framework.routers import SimpleRouter

from coaching.api import views
from coaching.impact import api as impact_api
from coaching.pulse.api import views as pulse_views
from coaching.recognition import api as recognition_api

router = SimpleRouter()  # the API root view is managers.api.urls' (both mount at /api/v1/)
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("pulse-series", pulse_views.PulseSeriesViewSet, basename="pulse-series")
router.register("pulses", pulse_views.PulseViewSet, basename="pulse")
router.register("pulse-rollups", pulse_views.PulseRollupViewSet, basename="pulse-rollup")
router.register("recognitions", recognition_api.RecognitionViewSet, basename="recognition")
router.register("manager-impact", impact_api.ManagerImpactViewSet, basename="manager-impact")

urlpatterns = router.urls
