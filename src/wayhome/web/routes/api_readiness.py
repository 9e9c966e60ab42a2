"""Return readiness of settlements (JSON API)."""

from fastapi import APIRouter

router = APIRouter()
