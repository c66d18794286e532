"""Test data, one module per entity; the names fixtures and benchmarks use, from one place."""

from tests.utils.factories.assets import image_bytes, make_asset, many_pixels_png
from tests.utils.factories.briefs import SAMPLE_BRIEFS, SHORT_FIELDS, SPRING_FIELDS, TINY_FIELDS
from tests.utils.factories.campaigns import make_campaign
from tests.utils.factories.clients import ACME_DRINKS, make_acme, make_client
from tests.utils.factories.generations import (
    add_generation_rows,
    count_generations,
    generation_row,
    submit_generation,
)
from tests.utils.factories.storyboards import approve_storyboard, make_scene, make_storyboard
from tests.utils.factories.users import PASSWORD, make_people, make_user

__all__ = [
    "ACME_DRINKS", "PASSWORD", "SAMPLE_BRIEFS", "SHORT_FIELDS", "SPRING_FIELDS", "TINY_FIELDS",
    "add_generation_rows", "approve_storyboard", "count_generations", "generation_row",
    "image_bytes", "make_acme", "make_asset", "make_campaign", "make_client", "make_people",
    "make_scene", "make_storyboard", "make_user", "many_pixels_png", "submit_generation",
]  # fmt: skip
