from rest_framework.routers import SimpleRouter

from coaching.api import views

router = SimpleRouter()  # the API root view is managers.api.urls' (both mount at /api/v1/)
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("sessions", views.SessionViewSet, basename="session")

urlpatterns = router.urls
