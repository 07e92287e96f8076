from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("workspace/", include("berekraft.workspace.urls")),
    path("", include("berekraft.web.urls")),
]

# A bad query value (``berekraft.web.params``) gets the site's page naming the parameter.
handler400 = "berekraft.web.views.misc.bad_request"

# The REST API (berekraft.api): /api/v1/, its OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.
urlpatterns.insert(0, path("api/v1/", __import__("berekraft.api.main", fromlist=["urls"]).urls()))
