from rest_framework.routers import DefaultRouter

from managers.api import hiring_views, support, views

router = DefaultRouter()
router.register("roles", views.RoleViewSet, basename="role")
router.register("charter-versions", views.CharterVersionViewSet, basename="charter-version")
router.register("acknowledgements", views.AcknowledgementViewSet, basename="acknowledgement")
router.register("metric-readings", views.MetricReadingViewSet, basename="metric-reading")
router.register("competencies", hiring_views.CompetencyViewSet, basename="competency")
router.register("requisitions", hiring_views.RequisitionViewSet, basename="requisition")
router.register("candidates", hiring_views.CandidateViewSet, basename="candidate")
router.register("applications", hiring_views.ApplicationViewSet, basename="application")
router.register("scorecards", hiring_views.ScorecardViewSet, basename="scorecard")
router.register("decisions", hiring_views.DecisionViewSet, basename="decision")
router.register("support-requests", support.SupportRequestViewSet, basename="support-request")

urlpatterns = router.urls
