"""One widget class per exercise. In a notebook: ``from pivot.exercises import SelfAssessment``,
then ``SelfAssessment()`` as the last line of the cell."""

from .interview_steps import InterviewOrder
from .opportunity_tree import OpportunityTree
from .pain_point_map import PainPointMap
from .problem_or_solution import ProblemOrSolution
from .problem_statement import ProblemStatement
from .self_assessment import SelfAssessment

__all__ = [
    "InterviewOrder",
    "OpportunityTree",
    "PainPointMap",
    "ProblemOrSolution",
    "ProblemStatement",
    "SelfAssessment",
]
