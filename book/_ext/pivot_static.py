"""Tell the exercises that the notebooks are being run for the static book.

The book executes every notebook once and freezes the widgets' state into the page, where no
kernel answers a reader's clicks. With ``PIVOT_STATIC_BOOK=1`` in the environment of the kernels
the build starts, each exercise shows a preview notice and disables its inputs
(pivot.kit.Exercise.static_preview). Sphinx runs the notebooks in this process, so setting the
variable here covers `make book`, the tests' build and a plain `jupyter-book build .` alike.
"""

from __future__ import annotations

import os


def setup(app):
    os.environ["PIVOT_STATIC_BOOK"] = "1"
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
