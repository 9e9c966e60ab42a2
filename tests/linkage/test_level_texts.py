"""Every comparison level the engine can report has words for the people who read explanations."""

from wayhome.linkage.comparisons import COMPARISONS, comparisons_for
from wayhome.linkage.level_texts import LEVEL_TEXT


def test_every_level_of_every_comparison_is_explained() -> None:
    names = {
        f.__name__
        for comparison in (*COMPARISONS, *comparisons_for(()))
        for f in (comparison.missing, *comparison.levels)
    }
    assert names - set(LEVEL_TEXT) == set()


def test_no_text_for_a_level_that_does_not_exist() -> None:
    names = {f.__name__ for c in COMPARISONS for f in (c.missing, *c.levels)}
    assert set(LEVEL_TEXT) - names == set()
