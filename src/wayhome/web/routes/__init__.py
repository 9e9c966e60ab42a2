"""Routers: `api` gathers the JSON API, `ui` the server-rendered pages; one module per resource."""
