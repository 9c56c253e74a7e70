"""Shift 4, get comfortable with failure: the exercises of notebooks/40-shift4/.

In a notebook: ``from pivot.exercises import PreMortem``, then ``PreMortem()`` as the last line
of the cell."""

from .assumption_map import AssumptionMap
from .blameless_review import BlamelessReview
from .decide import ReadAndDecide
from .experiment import ExperimentDesign, ExperimentSteps
from .pre_mortem import PreMortem

__all__ = [
    "AssumptionMap",
    "BlamelessReview",
    "ExperimentDesign",
    "ExperimentSteps",
    "PreMortem",
    "ReadAndDecide",
]
