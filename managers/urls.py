from django.urls import path

from managers.views import charters, my_charter

app_name = "managers"

urlpatterns = [
    path("charters/", charters.role_list, name="role-list"),
    path("charters/new/", charters.role_create, name="role-create"),
    path("charters/questions/", charters.question_list, name="question-list"),
    path("charters/questions/<int:pk>/answer/", charters.acknowledgement_answer, name="acknowledgement-answer"),
    path("charters/compare/", charters.version_compare, name="version-compare"),
    path("charters/roles/<int:pk>/", charters.role_detail, name="role-detail"),
    path("charters/roles/<int:pk>/edit/", charters.role_edit, name="role-edit"),
    path("charters/roles/<int:pk>/assign/", charters.role_assign, name="role-assign"),
    path("charters/roles/<int:pk>/reviewed/", charters.role_mark_reviewed, name="role-mark-reviewed"),
    path("charters/roles/<int:pk>/next-version/", charters.draft_start, name="draft-start"),
    path("charters/versions/<int:pk>/", charters.version_detail, name="version-detail"),
    path("charters/versions/<int:pk>/edit/", charters.version_edit, name="version-edit"),
    path("charters/versions/<int:pk>/publish/", charters.version_publish, name="version-publish"),
    path("my-charter/", my_charter.my_charter, name="my-charter"),
    path("my-charter/acknowledgements/<int:pk>/", my_charter.my_charter_acknowledge, name="my-charter-acknowledge"),
    path("my-charter/readings/", my_charter.reading_record, name="reading-record"),
]
