"""One widget class per exercise. In a notebook: ``from pivot.exercises import SelfAssessment``,
then ``SelfAssessment()`` as the last line of the cell."""

from .interview_steps import InterviewOrder
from .meeting_order import MeetingOrder
from .move import (
    GapsThatMatter,
    InterviewStories,
    Portfolio,
    RouteIn,
    TransitionPlan,
    WhereYouStand,
)
from .opportunity_tree import OpportunityTree
from .own_backlog import BringYourOwnBacklog
from .pain_point_map import PainPointMap
from .prioritise_backlog import CapacityPlanner, PrioritiseBacklog
from .problem_or_solution import ProblemOrSolution
from .problem_statement import ProblemStatement
from .self_assessment import SelfAssessment
from .shift2 import (
    Negotiation,
    Pitch,
    PositionsInterests,
    RebuildUpdate,
    SpeakUp,
    StakeholderMap,
)
from .shift4 import (
    AssumptionMap,
    BlamelessReview,
    ExperimentDesign,
    ExperimentSteps,
    PreMortem,
    ReadAndDecide,
)
from .what_not_how import WhatNotHow
from .whose_risk import WhoseRisk

__all__ = [
    "AssumptionMap",
    "BlamelessReview",
    "BringYourOwnBacklog",
    "CapacityPlanner",
    "ExperimentDesign",
    "ExperimentSteps",
    "GapsThatMatter",
    "InterviewOrder",
    "InterviewStories",
    "MeetingOrder",
    "Negotiation",
    "OpportunityTree",
    "PainPointMap",
    "Pitch",
    "Portfolio",
    "PositionsInterests",
    "PreMortem",
    "PrioritiseBacklog",
    "ProblemOrSolution",
    "ProblemStatement",
    "ReadAndDecide",
    "RebuildUpdate",
    "RouteIn",
    "SelfAssessment",
    "SpeakUp",
    "StakeholderMap",
    "TransitionPlan",
    "WhatNotHow",
    "WhereYouStand",
    "WhoseRisk",
]
