"""Feedback and collated reports: Jinja2 templates, inline SVG charts, PDF rendering.

Nothing here imports Textual; WeasyPrint is imported only when a PDF is rendered.
"""
