"""What each comparison level means, in words a registrar reads: the level function's docstring
in `wayhome.linkage.comparisons`, marked for translation. Used wherever a match is explained
(search before register, the duplicates review queue)."""

from __future__ import annotations

from wayhome.core.messages import N_

LEVEL_TEXT: dict[str, str] = {
    "family_name_missing": N_("A family name is missing."),
    "family_names_share_key": N_(
        "Family names are the same name across scripts/spellings (e.g. Мамедов = Məmmədov)."
    ),
    "family_names_sound_alike": N_("Family names sound alike (same phonetic key)."),
    "family_names_same_stem": N_(
        "Family names are forms of one surname (e.g. male and female form)."
    ),
    "family_names_one_edit_apart": N_("Family names differ by one letter."),
    "family_names_two_edits_apart": N_("Family names differ by two letters."),
    "family_names_differ": N_("Family names differ."),
    "given_name_missing": N_("A given name is missing."),
    "given_names_share_key": N_(
        "Given names are the same name across scripts/spellings (e.g. Али = Əli)."
    ),
    "given_names_sound_alike": N_("Given names sound alike (same phonetic key)."),
    "given_names_one_edit_apart": N_("Given names differ by one letter."),
    "given_names_two_edits_apart": N_(
        "Given names differ by two letters (or two swapped letters)."
    ),
    "given_name_is_initial_of_other": N_("One given name is the initial of the other."),
    "given_names_differ": N_("Given names differ."),
    "fathers_name_missing": N_("A patronymic (father's name) is missing."),
    "fathers_names_share_key": N_(
        "Fathers' names are the same name across scripts/spellings (e.g. Гасанович = Həsən oğlu)."
    ),
    "fathers_names_sound_alike": N_("Fathers' names sound alike (same phonetic key)."),
    "fathers_names_one_edit_apart": N_("Fathers' names differ by one letter."),
    "patronymics_nearly_equal": N_("Patronymics as written differ by one or two letters."),
    "fathers_names_differ": N_("Fathers' names differ."),
    "birth_date_missing": N_("A birth date is missing."),
    "birth_dates_equal": N_("Full birth dates are equal."),
    "birth_dates_day_month_swapped": N_("Full birth dates are equal with day and month swapped."),
    "birth_year_and_month_equal": N_("Same birth year and month; the day is missing on one side."),
    "birth_dates_day_differs": N_("Same birth year and month, different day."),
    "birth_dates_year_off_by_one": N_("Same birth day and month, years one apart."),
    "birth_precision_compatible": N_(
        "Same birth year; only one side gives the month, nothing conflicts."
    ),
    "birth_years_equal": N_("Same birth year, but month or day conflict."),
    "birth_year_within_1": N_("Birth years differ by one."),
    "birth_year_within_5": N_("Birth years differ by two to five years."),
    "birth_dates_differ": N_("Birth years differ by more than five years."),
    "sex_missing": N_("Sex is missing (and not implied by patronymic or surname)."),
    "sexes_equal": N_("Same sex."),
    "sexes_differ": N_("Different sex."),
    "birth_place_missing": N_("A birth place is missing."),
    "birth_places_share_key": N_("Birth places are the same place name across scripts/spellings."),
    "birth_places_sound_alike": N_(
        "Birth places sound alike (same phonetic key, e.g. Шеки = Şəki)."
    ),
    "birth_places_nearly_equal": N_("Birth places differ by one or two letters."),
    "birth_places_differ": N_("Birth places differ."),
}
