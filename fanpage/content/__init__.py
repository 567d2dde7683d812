"""The content room: entry models (``models``), the front-matter reader (``reader``, ``schema``)
and the whole site's content (``site``). Import from the module that holds a name: importing
this package loads nothing else, so the models are cheap to import where only they are needed.
"""
