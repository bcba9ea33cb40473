from django.urls import path

from lider.projects import invitation_views, logo_views, views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    # Fixed addresses before "<slug:slug>/": forms.RESERVED_SLUGS keeps projects off them.
    path("nowy/", views.project_create, name="create"),
    path("organizacje/nowa/", views.organisation_create, name="organisation_create"),
    path("<slug:slug>/", views.project_detail, name="detail"),
    path("<slug:slug>/edycja/", views.project_edit, name="edit"),
    path(
        "<slug:slug>/edycja/organizacja/",
        views.project_organisation_create,
        name="project_organisation_create",
    ),
    path("<slug:slug>/struktura/", views.project_structure, name="structure"),
    path("<slug:slug>/stan/", views.project_state, name="state"),
    path("<slug:slug>/logotypy/", logo_views.strip_edit, name="logos"),
    path("<slug:slug>/role/", views.role_list, name="roles"),
    path("<slug:slug>/role/<int:pk>/odbierz/", views.role_revoke, name="revoke"),
    path("<slug:slug>/zaproszenia/", invitation_views.invitation_list, name="invitations"),
    path(
        "<slug:slug>/zaproszenia/<int:pk>/wyslij-ponownie/",
        invitation_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<slug:slug>/zaproszenia/<int:pk>/wycofaj/",
        invitation_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/historia/", views.card_history, name="history"),
    path("<slug:slug>/audyt/", views.project_audit, name="audit"),
    path(
        "<slug:slug>/pokaz/<str:model>/<int:pk>/<str:field>/",
        views.reveal,
        name="reveal",
    ),
]
