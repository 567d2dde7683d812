"""The bridge to Pelican: a reader handing Pelican our validated entries, and the build runner."""
