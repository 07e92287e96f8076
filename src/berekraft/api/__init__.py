"""The REST API at /api/v1/ (django-ninja): reads through the same selectors as the pages, writes
through the same services as the workspace and the command line. ``main.api`` is the NinjaAPI."""
