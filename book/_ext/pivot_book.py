"""Sphinx glue for The Pivot's book build.

1. The build executes the notebooks; their widgets would otherwise open the builder's own
   workbook and publish its answers. Every kernel the build starts gets an in-memory workbook,
   so the published pages always show the widgets as a new learner sees them.
2. Accessibility of the bibliography (axe-core aria-required-children, critical): docutils
   writes it as ``role="list"`` whose entries carry the deprecated ``role="doc-biblioentry"``;
   entries become list items. The "Show code cell source" toggles carry an aria-label that
   differs from their visible text (label-content-name-mismatch, serious); it is dropped.
3. Two console errors of the stock theme stack (sphinx-book-theme 1.3, measured on every page):
   sphinx-thebe's inline configuration script is registered twice ("Identifier 'THEBE_JS_URL'
   has already been declared"), and an empty ``default_mode`` makes pydata-sphinx-theme log
   "Got invalid theme mode". Drop the duplicate script and default the mode to "auto".
"""

from __future__ import annotations

import os


def _fix_page_context(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body:
        body = body.replace('role="doc-biblioentry"', 'role="listitem"')
        # myst-nb's "Show code cell source" toggles: the aria-label hid the visible text
        body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
        context["body"] = body
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        attributes = getattr(script, "attributes", None) or {}
        key = (getattr(script, "filename", script) or "", tuple(sorted(attributes.items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    scripts[:] = unique


def setup(app):
    os.environ["PIVOT_WORKBOOK"] = ":memory:"
    app.connect("html-page-context", _fix_page_context, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
