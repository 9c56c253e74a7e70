"""Shift 2, soft skills are king: the exercises of notebooks/20-shift2/.

In a notebook: ``from pivot.exercises.shift2 import StakeholderMap``, then ``StakeholderMap()``
as the last line of the cell (``from pivot.exercises import StakeholderMap`` works too)."""

from .answer_first import Pitch, RebuildUpdate
from .negotiation import Negotiation, PositionsInterests
from .speak_up import SpeakUp
from .stakeholder_map import StakeholderMap

__all__ = [
    "Negotiation",
    "Pitch",
    "PositionsInterests",
    "RebuildUpdate",
    "SpeakUp",
    "StakeholderMap",
]
