from django.contrib import admin
from django.urls import include, path

from berekraft.web import views

urlpatterns = [
    path("", views.network_home, name="network_home"),
    path("members/<str:code>/", views.member_profile, name="member_profile"),
    path("workspace/", include("berekraft.workspace.urls")),
    path("admin/", admin.site.urls),
]
