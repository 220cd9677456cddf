"""Properties of the case lifecycle: any sequence of actions ends in a status or a LifecycleError, and the
machine keeps its promises (closing is final, nothing reopens, every case can be filed)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mediation_desk.domain.codes import OutcomeKind
from mediation_desk.domain.errors import DomainError, LifecycleError
from mediation_desk.domain.lifecycle import (
    OUTCOME_ACTIONS,
    TRANSITIONS,
    CaseAction,
    CaseStatus,
    allowed_actions,
    status_after_outcome,
    transition,
)


def _step(status: CaseStatus, action: CaseAction) -> CaseStatus | LifecycleError:
    try:
        return transition(status, action)
    except LifecycleError as error:
        return error


@given(st.lists(st.sampled_from(CaseAction), max_size=30), st.sampled_from(CaseStatus))
def test_any_sequence_of_actions_follows_the_table(actions: list[CaseAction], start: CaseStatus) -> None:
    status = start
    for action in actions:
        after = _step(status, action)
        if isinstance(after, LifecycleError):
            assert (status, action) not in TRANSITIONS
            assert isinstance(after, DomainError)
            assert status.label in after.message
            assert action.label in after.message
        else:
            assert after is TRANSITIONS[(status, action)]
            assert action in allowed_actions(status)
            status = after


@given(st.lists(st.sampled_from(CaseAction), max_size=30))
def test_a_closed_case_never_reopens(actions: list[CaseAction]) -> None:
    status = CaseStatus.CLOSED
    for action in actions:
        assert isinstance(_step(status, action), LifecycleError)
    assert allowed_actions(status) == []
    assert not status.is_open


@given(st.sampled_from(CaseStatus))
def test_every_status_can_still_be_filed(start: CaseStatus) -> None:
    """From any status some path of allowed actions reaches CLOSED: no case is stuck."""
    seen = {start}
    frontier = [start]
    while frontier:
        status = frontier.pop()
        for action in allowed_actions(status):
            following = transition(status, action)
            if following not in seen:
                seen.add(following)
                frontier.append(following)
    assert CaseStatus.CLOSED in seen


@given(st.sampled_from(CaseStatus), st.sampled_from(OutcomeKind), st.booleans())
def test_an_outcome_lands_where_its_action_leads(status: CaseStatus, kind: OutcomeKind, closed: bool) -> None:
    try:
        after = status_after_outcome(status, kind, closed=closed)
    except LifecycleError:
        reached = _step(status, OUTCOME_ACTIONS[kind])
        assert isinstance(reached, LifecycleError) or (closed and CaseAction.CLOSE not in allowed_actions(reached))
        return
    reached = transition(status, OUTCOME_ACTIONS[kind])
    assert after is (transition(reached, CaseAction.CLOSE) if closed else reached)
    assert not after.is_open


@given(st.sampled_from(CaseStatus))
def test_open_statuses_are_those_before_an_outcome(status: CaseStatus) -> None:
    outcomes = {OUTCOME_ACTIONS[kind] for kind in OutcomeKind}
    reaches_outcome = any(action in outcomes or action is CaseAction.START for action in allowed_actions(status))
    assert status.is_open == reaches_outcome
