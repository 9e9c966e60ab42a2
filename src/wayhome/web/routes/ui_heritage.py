"""Heritage sites and their condition assessments (UI)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
