"""Import and export of hazard areas and heritage sites as GeoJSON, GeoPackage, Shapefile and CSV with WKT."""

from fastapi import APIRouter

router = APIRouter()
