from django.urls import path

from managers.views import charters, competencies, hiring, interview_plan, my_charter, scorecards

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
    path("charters/roles/<int:pk>/requirements/", competencies.role_requirements, name="role-requirements"),
    path("competencies/", competencies.competency_list, name="competency-list"),
    path("competencies/new/", competencies.competency_create, name="competency-create"),
    path("competencies/<int:pk>/", competencies.competency_detail, name="competency-detail"),
    path("competencies/<int:pk>/edit/", competencies.competency_edit, name="competency-edit"),
    path("hiring/", hiring.hiring_home, name="hiring-home"),
    path("hiring/requisitions/new/", hiring.requisition_create, name="requisition-create"),
    path("hiring/requisitions/<int:pk>/", hiring.requisition_detail, name="requisition-detail"),
    path("hiring/requisitions/<int:pk>/edit/", hiring.requisition_edit, name="requisition-edit"),
    path("hiring/requisitions/<int:pk>/board/", hiring.pipeline_board, name="pipeline-board"),
    path("hiring/requisitions/<int:pk>/plan/", interview_plan.interview_plan, name="interview-plan"),
    path("hiring/requisitions/<int:pk>/candidates/", hiring.application_create, name="application-create"),
    path("hiring/requisitions/<int:pk>/scorecards.csv", hiring.scorecards_export, name="scorecards-export"),
    path("hiring/interviews/<int:pk>/edit/", interview_plan.interview_stage_edit, name="interview-stage-edit"),
    path(
        "hiring/focus/<int:pk>/questions/", interview_plan.interview_focus_questions, name="interview-focus-questions"
    ),
    path("hiring/interviews/<int:pk>/remove/", interview_plan.interview_stage_remove, name="interview-stage-remove"),
    path("hiring/applications/<int:pk>/", hiring.application_detail, name="application-detail"),
    path("hiring/applications/<int:pk>/move/", hiring.application_move, name="application-move"),
    path("hiring/applications/<int:pk>/interviews/", hiring.interview_schedule, name="interview-schedule"),
    path("hiring/interviews/<int:pk>/cancel/", hiring.interview_cancel, name="interview-cancel"),
    path("hiring/applications/<int:pk>/decide/", hiring.application_decide, name="application-decide"),
    path("hiring/scorecards/<int:pk>/", scorecards.scorecard_edit, name="scorecard-edit"),
    path("hiring/scorecards/<int:pk>/amend/", scorecards.scorecard_amend, name="scorecard-amend"),
    path("my-charter/", my_charter.my_charter, name="my-charter"),
    path("my-charter/acknowledgements/<int:pk>/", my_charter.my_charter_acknowledge, name="my-charter-acknowledge"),
    path("my-charter/readings/", my_charter.reading_record, name="reading-record"),
]
