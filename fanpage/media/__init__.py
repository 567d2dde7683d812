"""Every image the site publishes, resized into a few widths and formats, stripped of private
metadata, cached by content: photos, covers, posters, the artist photo, entry images.

``plan.py`` decides what is published (names, widths, heights: read from file headers, so the
pages can be written before any pixel work); the work itself runs on all cores beside the build.
"""
