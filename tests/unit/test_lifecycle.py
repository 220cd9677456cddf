"""The case lifecycle as a state machine: every pair of (status, action) is either allowed or a clear error."""

from __future__ import annotations

import itertools

import pytest

from mediation_desk.domain.errors import LifecycleError
from mediation_desk.domain.lifecycle import TRANSITIONS, CaseAction, CaseStatus, allowed_actions, transition

EXPECTED = {
    (CaseStatus.REGISTERED, CaseAction.ACCEPT): CaseStatus.ACCEPTED,
    (CaseStatus.REGISTERED, CaseAction.REFUSE): CaseStatus.REFUSED,
    (CaseStatus.ACCEPTED, CaseAction.START): CaseStatus.MEDIATING,
    (CaseStatus.ACCEPTED, CaseAction.TERMINATE): CaseStatus.TERMINATED,
    (CaseStatus.MEDIATING, CaseAction.AGREE): CaseStatus.AGREED,
    (CaseStatus.MEDIATING, CaseAction.FAIL): CaseStatus.FAILED,
    (CaseStatus.MEDIATING, CaseAction.TERMINATE): CaseStatus.TERMINATED,
    (CaseStatus.AGREED, CaseAction.CLOSE): CaseStatus.CLOSED,
    (CaseStatus.FAILED, CaseAction.CLOSE): CaseStatus.CLOSED,
    (CaseStatus.TERMINATED, CaseAction.CLOSE): CaseStatus.CLOSED,
    (CaseStatus.REFUSED, CaseAction.CLOSE): CaseStatus.CLOSED,
}


def test_transition_table_is_exactly_the_documented_one() -> None:
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize(("status", "action"), list(itertools.product(CaseStatus, CaseAction)))
def test_every_status_action_pair(status: CaseStatus, action: CaseAction) -> None:
    if (status, action) in EXPECTED:
        assert transition(status, action) is EXPECTED[(status, action)]
    else:
        with pytest.raises(LifecycleError) as caught:
            transition(status, action)
        message = str(caught.value)
        assert status.label in message
        assert action.label in message


def test_closed_is_final() -> None:
    assert allowed_actions(CaseStatus.CLOSED) == []


def test_every_status_is_reachable_from_registration() -> None:
    reached = {CaseStatus.REGISTERED}
    frontier = [CaseStatus.REGISTERED]
    while frontier:
        status = frontier.pop()
        for action in allowed_actions(status):
            target = transition(status, action)
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(CaseStatus)


def test_open_statuses() -> None:
    assert {s for s in CaseStatus if s.is_open} == {CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING}
