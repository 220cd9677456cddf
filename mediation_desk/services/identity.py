"""Finding a person's cases by their resident ID number (an exact match through the blind index)."""

from __future__ import annotations

from mediation_desk.domain.errors import ValidationError
from mediation_desk.domain.identity import normalise_id_number
from mediation_desk.domain.masking import mask_id_number
from mediation_desk.domain.permissions import Permission, allowed
from mediation_desk.services.cases.views import CaseRow, case_rows
from mediation_desk.services.desk import Desk
from mediation_desk.store.queries import identity as identity_queries


def cases_of_person(desk: Desk, id_number: str) -> list[CaseRow]:
    """The cases in which a party carries ``id_number`` (spaces, full-width digits and a lower-case x are
    normalised first), newest first. Only an exact number matches: the numbers are stored encrypted."""
    if not normalise_id_number(id_number):
        raise ValidationError("请输入身份证号码", field="id_number")
    with desk.read() as session:
        found = list(identity_queries.cases_of_id_number(session, id_number))
        return case_rows(session, found)


def shown_id_number(desk: Desk, id_number: str) -> str:
    """An ID number as the acting user may see it in exports and reports: whole for the roles that handle the
    parties' cases (``Permission.VIEW_IDENTITY``), masked (331122********123X) for everyone else."""
    if allowed(desk.actor.role, Permission.VIEW_IDENTITY):
        return id_number
    return mask_id_number(id_number)
