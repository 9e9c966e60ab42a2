"""Import and export of geodata (UI)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
