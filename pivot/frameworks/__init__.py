"""The product-management frameworks of the course, as pure functions (no widgets, no printing).

Each module cites the framework's canonical source in its docstring and is unit tested against
that source's worked examples.
"""
