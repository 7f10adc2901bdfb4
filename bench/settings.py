"""The production settings with the bench's reference pages added (bench/urls.py).

Only the benches use this module: the reference pages are never part of the product's URLs.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
