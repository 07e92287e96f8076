from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("workspace/", include("berekraft.workspace.urls")),
    path("", include("berekraft.web.urls")),
]
