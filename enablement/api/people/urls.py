from rest_framework.routers import SimpleRouter

from enablement.api.people import views as people_api

router = SimpleRouter()  # the API root view is managers.api.urls' (all mount at /api/v1/)
router.register("people", people_api.PersonViewSet, basename="person")
router.register("teams", people_api.TeamViewSet, basename="team")

urlpatterns = router.urls
