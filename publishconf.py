"""Production settings of the demo site: the development ones plus the public address."""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: F403

SITEURL = "https://suarasenja.band"
WRITE_FEEDS = True
