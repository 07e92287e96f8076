from django.urls import path

from berekraft.web import urls as _converters  # noqa: F401  (registers <year:…> and <id:…>)
from berekraft.workspace import tokens, views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("upload/confirm/", views.upload_confirm, name="upload_confirm"),
    path("upload/cancel/", views.upload_cancel, name="upload_cancel"),
    path("members/<str:code>/<year:year>/", views.member_year, name="member_year"),
    path("members/<str:code>/<year:year>/submit/", views.submit, name="submit"),
    path("members/<str:code>/<year:year>/template.xlsx", views.template, name="template"),
    path("members/<str:code>/<year:year>/<id:series_id>/", views.edit_value, name="edit_value"),
    path("verify/", views.verify_queue, name="verify"),
    path("verify/<id:observation_id>/return/", views.return_value, name="return_value"),
    path("imports/", views.imports, name="imports"),
    path("imports/<id:batch_id>/undo/", views.undo, name="undo"),
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/<id:token_id>/revoke/", tokens.revoke, name="revoke_token"),
]

# The action registers (issue 8): projects, organisations, citizen involvement, priorities.
from berekraft.workspace import action_views  # noqa: E402

urlpatterns += [
    path("action/", action_views.home, name="action_home"),
    path("action/<str:code>/projects/new/", action_views.project_new, name="action_project_new"),
    path("action/project/<id:pk>/", action_views.project_edit, name="action_project"),
    path("action/<str:code>/involvement/new/", action_views.involvement_new, name="action_involvement_new"),
    path("action/involvement/<id:pk>/", action_views.involvement_edit, name="action_involvement"),
    path("action/<str:code>/priorities/new/", action_views.priority_new, name="action_priority_new"),
    path("action/priority/<id:pk>/", action_views.priority_edit, name="action_priority"),
    path("action/organisations/new/", action_views.organisation_page, name="action_organisation_new"),
    path("action/organisation/<id:pk>/", action_views.organisation_page, name="action_organisation"),
    path("action/<str:register>/<id:pk>/publish/", action_views.publish, name="action_publish"),
    path("action/<str:register>/<id:pk>/unpublish/", action_views.unpublish, name="action_unpublish"),
    path("action/<str:register>/<id:pk>/delete/", action_views.delete, name="action_delete"),
    path("action/<str:register>/<id:pk>/history/", action_views.history, name="action_history"),
    path("action/<str:code>/projects.xlsx", action_views.projects_template, name="action_projects_template"),
    path("action/<str:code>/projects/import/", action_views.projects_upload, name="action_projects_upload"),
]

# A member's local indicators (workspace/local_views.py).
from berekraft.workspace import local_views  # noqa: E402

urlpatterns += [
    path("members/<str:code>/local/", local_views.local_list, name="local_list"),
    path("members/<str:code>/local/new/", local_views.local_edit, name="local_new"),
    path("members/<str:code>/local/<slug:slug>/", local_views.local_edit, name="local_edit"),
]
