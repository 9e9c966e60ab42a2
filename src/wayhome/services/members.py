"""Small read helpers about household members for the pages (names of persons by id)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from wayhome.services import persons
from wayhome.services.context import Actor, Wayhome
from wayhome.services.permissions import require, visible
from wayhome.store.tables import Person


def display_names(wayhome: Wayhome, actor: Actor, person_ids: Iterable[str]) -> dict[str, str]:
    """Return {person id: display name} for the persons among `person_ids` the actor may see.

    Used to make a household's history readable (members are kept there by id); reading the
    history is itself governed by ``history.view`` and the household's visibility.
    """
    require(actor, "person.view")
    ids = sorted({i for i in person_ids if i})
    if not ids:
        return {}
    with wayhome.read() as session:
        rows = session.execute(
            select(Person.id, Person.display_name).where(
                Person.id.in_(ids), visible(actor, Person, persons.ENTITY)
            )
        )
        return {row.id: row.display_name for row in rows}
