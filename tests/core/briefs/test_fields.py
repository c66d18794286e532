"""A brief's brand against the client it is saved for."""

from core.briefs import brand_mismatch


def test_a_brief_for_another_brand_is_flagged_with_both_names():
    warning = brand_mismatch("Northpeak Outdoor", "Acme Drinks")
    assert warning is not None
    assert "'Northpeak Outdoor'" in warning and "'Acme Drinks'" in warning


def test_the_same_brand_in_other_words_or_no_brand_is_not_flagged():
    assert brand_mismatch("Lumen", "Lumen Beverages") is None
    assert brand_mismatch("ACME drinks co.", "Acme Drinks") is None
    assert brand_mismatch("", "Acme Drinks") is None
