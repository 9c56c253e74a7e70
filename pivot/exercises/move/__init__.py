"""Making the move, the course's last part: where you stand now, the gaps that matter, your
route in and your first 90 days, your interview stories, and your portfolio."""

from .gaps import GapsThatMatter
from .portfolio import Portfolio
from .route import RouteIn, TransitionPlan
from .stories import InterviewStories
from .where_you_stand import WhereYouStand

__all__ = [
    "GapsThatMatter",
    "InterviewStories",
    "Portfolio",
    "RouteIn",
    "TransitionPlan",
    "WhereYouStand",
]
