"""Map layers: settlements, hazard areas and heritage sites as GeoJSON simplified for the zoom."""

from fastapi import APIRouter

router = APIRouter()
