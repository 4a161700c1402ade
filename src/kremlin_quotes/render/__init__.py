"""The static HTML view of the annotations (Jinja2 templates, displaCy pages)."""
