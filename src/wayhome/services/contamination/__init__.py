"""Contamination: hazard areas, land release and its ledger, activities, devices, accidents, victims.

Mine action data is shared nationally: every organisation sees every hazard area, activity,
release, device and accident; only the roles in `permissions.MATRIX` may change them. Victims are
the exception: a victim linked to a registry person is visible only to those who may see that
person (`permissions.visible` on the person); a victim not linked to anyone is an anonymous
casualty record, visible to whoever may view accidents.

Geometries are validated with `wayhome.geo.validate_polygon` and stored as GeoJSON text with
their bounding box; areas are geodesic (WGS 84). Every release is checked against the hazard's
land-release ledger (`wayhome.geo.release_ledger`) before anything is written.

The package splits the use cases into modules (`hazards`, `releases`, `activities`, `devices`,
`accidents`, `victims`, with shared helpers in `common`); this module re-exports their public
names, so `from wayhome.services import contamination` and `contamination.record_release(...)`
keep working.
"""

from __future__ import annotations

from wayhome.services.contamination.accidents import (
    accident_history,
    accident_snapshot,
    get_accident,
    record_accident,
    search_accidents,
    update_accident,
    write_accident,
)
from wayhome.services.contamination.activities import (
    activity_history,
    activity_snapshot,
    list_activities,
    record_activity,
    update_activity,
    write_activity,
)
from wayhome.services.contamination.common import (
    ACCIDENT,
    ACTIVITY,
    DEVICE,
    DUPLICATE_TOLERANCE_M,
    HAZARD,
    RELEASE,
    RELEASED_BELOW_M2,
    VICTIM,
    Bbox,
    geometry_text,
    load_geometry,
)
from wayhome.services.contamination.devices import (
    device_snapshot,
    list_devices,
    record_device,
    write_device,
)
from wayhome.services.contamination.hazards import (
    close_hazard_area,
    create_hazard_area,
    get_hazard_area,
    hazard_features,
    hazard_history,
    hazard_snapshot,
    search_hazard_areas,
    update_hazard_area,
    write_hazard_area,
)
from wayhome.services.contamination.lookup import references
from wayhome.services.contamination.releases import (
    ledger,
    ledger_summary,
    list_releases,
    record_release,
    release_snapshot,
    write_release,
)
from wayhome.services.contamination.victims import (
    add_victim,
    list_victims,
    update_victim,
    victim_history,
    victim_snapshot,
    victim_visible,
    write_victim,
)

__all__ = [
    "ACCIDENT",
    "ACTIVITY",
    "Bbox",
    "DEVICE",
    "DUPLICATE_TOLERANCE_M",
    "HAZARD",
    "RELEASE",
    "RELEASED_BELOW_M2",
    "VICTIM",
    "accident_history",
    "accident_snapshot",
    "activity_history",
    "activity_snapshot",
    "add_victim",
    "close_hazard_area",
    "create_hazard_area",
    "device_snapshot",
    "geometry_text",
    "get_accident",
    "get_hazard_area",
    "hazard_features",
    "hazard_history",
    "hazard_snapshot",
    "ledger",
    "ledger_summary",
    "list_activities",
    "list_devices",
    "list_releases",
    "list_victims",
    "load_geometry",
    "record_accident",
    "record_activity",
    "record_device",
    "record_release",
    "references",
    "release_snapshot",
    "search_accidents",
    "search_hazard_areas",
    "update_accident",
    "update_activity",
    "update_hazard_area",
    "update_victim",
    "victim_history",
    "victim_snapshot",
    "victim_visible",
    "write_accident",
    "write_activity",
    "write_device",
    "write_hazard_area",
    "write_release",
    "write_victim",
]
