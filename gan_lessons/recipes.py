"""Every GAN the CLI trains, by name: each lesson defines its recipe (the models, optimizers and data,
shared by ``gan-lessons train NAME`` and the lesson notebooks so both train exactly the same thing);
this module only lists them.
"""

from __future__ import annotations

from . import conditional, dcgan, stylegan, translation, vanilla, wgan
from .core.recipe import Recipe

RECIPES: dict[str, Recipe] = {
    recipe.name: recipe
    for recipe in (
        vanilla.RECIPE,
        dcgan.RECIPE,
        wgan.RECIPE,
        stylegan.RECIPE,
        conditional.RECIPE,
        *translation.RECIPES,
    )
}


def get_recipe(name: str) -> Recipe:
    """The recipe called ``name`` (see ``gan-lessons train --help``)."""
    if name not in RECIPES:
        raise ValueError(f"Unknown model {name!r}; available: {', '.join(sorted(RECIPES))}.")
    return RECIPES[name]
