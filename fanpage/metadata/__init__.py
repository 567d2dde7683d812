"""Share previews and search metadata: Open Graph, X cards, JSON-LD, canonical URLs, sitemap.

Pure functions from the validated entry model to tags; :mod:`fanpage.metadata.build` is the
only module that knows about a Pelican build.
"""
