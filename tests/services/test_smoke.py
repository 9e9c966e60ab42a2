from wayhome.core.vocab import PlaceType, Role
from wayhome.services import displacement, households, persons
from wayhome.services.inputs import DisplacementInput, HouseholdInput, PersonInput, parse_input


def test_register_and_find(wayhome, make):
    actor = make.actor(Role.REGISTRAR)
    country = make.place()
    town = make.place("DM01", PlaceType.SETTLEMENT, country.id, "Town", extra_names=("Город",))
    p = persons.register_person(
        wayhome,
        actor,
        parse_input(
            PersonInput,
            {
                "names": [
                    {"given_name": "Али", "family_name": "Мамедов", "patronymic": "Гасанович"}
                ],
                "sex": "M",
                "birth_date": "1957",
                "birth_place_id": town.id,
            },
        ),
    )
    assert p.names[0].script == "Cyrl"
    assert p.birth_date_precision == "year"
    page = persons.search_persons(wayhome, actor, q="мамедов")
    assert [x.id for x in page.items] == [p.id]
    h = households.create_household(
        wayhome,
        actor,
        parse_input(
            HouseholdInput,
            {"origin_place_id": town.id, "members": [{"person_id": p.id, "relationship": "head"}]},
        ),
    )
    assert h.members[0].person_id == p.id
    e = displacement.record_displacement(
        wayhome,
        actor,
        p.id,
        parse_input(
            DisplacementInput,
            {"origin_place_id": town.id, "displaced_on": "1992-05", "status": "displaced"},
        ),
    )
    assert e.displaced_on_precision == "month"
    other = make.actor(Role.ADMIN, "ORG2")
    assert persons.search_persons(wayhome, other, q="мамедов").total == 0
