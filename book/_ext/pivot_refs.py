"""Let MyST links reach the entries of the references page.

The course's prose cites as plain author–year links, ``[Cagan (2017)](references.md#ref-…)``,
so that JupyterLab shows them too (see pivot/prose.py). sphinxcontrib-bibtex gives every entry
of the references page the id ``ref-<key>`` (``bibtex_cite_id``), but MyST only knows the
anchors of headings and warns that such a link's target is missing. Register one anchor per
bibliography entry on the references page; the book test checks every anchor exists in HTML.
"""

from __future__ import annotations

REFERENCES_DOC = "book/references"


def _register(app, doctree) -> None:
    env = app.env
    if env.docname != REFERENCES_DOC:
        return
    from pivot import prose

    slugs = env.metadata[env.docname].setdefault("myst_slugs", {})
    for key, ref in prose.load_references().items():
        anchor = prose.anchor(key)
        slugs.setdefault(anchor, (0, anchor, f"{ref.authors} ({ref.year})"))


def setup(app):
    app.connect("doctree-read", _register)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
