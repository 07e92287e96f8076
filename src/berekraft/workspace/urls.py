from django.urls import path

from berekraft.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("upload/confirm/", views.upload_confirm, name="upload_confirm"),
    path("upload/cancel/", views.upload_cancel, name="upload_cancel"),
    path("members/<str:code>/<int:year>/", views.member_year, name="member_year"),
    path("members/<str:code>/<int:year>/submit/", views.submit, name="submit"),
    path("members/<str:code>/<int:year>/template.xlsx", views.template, name="template"),
    path("members/<str:code>/<int:year>/<int:series_id>/", views.edit_value, name="edit_value"),
    path("verify/", views.verify_queue, name="verify"),
    path("verify/<int:observation_id>/return/", views.return_value, name="return_value"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:batch_id>/undo/", views.undo, name="undo"),
]
