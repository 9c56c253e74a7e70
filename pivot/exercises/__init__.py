"""One widget class per exercise. In a notebook: ``from pivot.exercises import SelfAssessment``,
then ``SelfAssessment()`` as the last line of the cell."""

from .self_assessment import SelfAssessment

__all__ = ["SelfAssessment"]
