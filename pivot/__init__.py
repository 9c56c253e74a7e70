"""The Pivot: exercise logic for an interactive course that takes engineers into product management.

Layers, each importing only the ones above it in this list:

- :mod:`pivot.data` — loading and validating the case-study tables and learners' own files;
- :mod:`pivot.frameworks` — the PM frameworks as pure functions (scores, classifications);
- :mod:`pivot.plots` — figures in one colour-blind-safe palette, each with alt text;
- :mod:`pivot.workbook` — the learner's saved answers (atomic saves, Markdown export);
- :mod:`pivot.kit` — the widget parts every exercise is built from;
- :mod:`pivot.exercises` — one widget class per exercise; a notebook cell is one call.
"""

__version__ = "0.1.0"
