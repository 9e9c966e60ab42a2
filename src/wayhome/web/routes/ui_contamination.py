"""Hazard areas, land release, activities, devices, accidents and victims (UI)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
