"""Sphinx glue for The Pivot's book build.

The build executes the notebooks; their widgets would otherwise open the builder's own
workbook and publish its answers. Point every kernel the build starts at an in-memory
workbook, so the published pages always show the widgets as a new learner sees them.
"""

import os


def setup(app):
    os.environ["PIVOT_WORKBOOK"] = ":memory:"
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
