"""The web layer: JSON API under /api/v1 and the server-rendered UI (Jinja2 + htmx)."""
