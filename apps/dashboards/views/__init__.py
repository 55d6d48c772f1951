"""Each role's landing page. The top layer: it may read every app, nothing imports it.

One module per role, so each dashboard grows on its own.
"""
