"""The web service: REST API under ``/api/v1`` and server-rendered pages, one app."""
