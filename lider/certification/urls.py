from django.urls import path

from lider.certification import score_views, views

app_name = "certification"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("numeracja/", views.numbering, name="numbering"),
    path("rejestr.xlsx", views.register_xlsx, name="register_xlsx"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("<int:pk>/uniewaznij/", views.certificate_revoke, name="revoke"),
    path("zadania/<int:task_pk>/", views.task_standings, name="task"),
    path("zadania/<int:task_pk>/regula/", views.rule_edit, name="rule"),
    path("zadania/<int:task_pk>/testy/", score_views.scores, name="scores"),
    path("zadania/<int:task_pk>/testy/import/", score_views.scores_import, name="scores_import"),
    path("zadania/<int:task_pk>/wydaj/<int:participant_pk>/", views.issue_one, name="issue"),
    path("zadania/<int:task_pk>/wydaj-wszystkim/", views.bulk_issue, name="bulk_issue"),
    path("zadania/<int:task_pk>/zaswiadczenia.pdf", views.task_pdf, name="task_pdf"),
    path("zadania/<int:task_pk>/zaswiadczenia.zip", views.task_zip, name="task_zip"),
    path("przebiegi/<int:pk>/", views.run_detail, name="run"),
]
