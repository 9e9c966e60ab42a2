"""The duplicates review queue (JSON API)."""

from fastapi import APIRouter

router = APIRouter()
