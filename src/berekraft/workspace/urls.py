from django.urls import path

from berekraft.web import urls as _converters  # noqa: F401  (registers <year:…> and <id:…>)
from berekraft.workspace import views

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
]

# A member's local indicators (workspace/local_views.py).
from berekraft.workspace import local_views  # noqa: E402

urlpatterns += [
    path("members/<str:code>/local/", local_views.local_list, name="local_list"),
    path("members/<str:code>/local/new/", local_views.local_edit, name="local_new"),
    path("members/<str:code>/local/<slug:slug>/", local_views.local_edit, name="local_edit"),
]
