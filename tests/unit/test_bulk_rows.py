"""The bulk writer's own binding and canonical JSON give exactly what Core and ``revisions.row_data`` give: the same
stored values, the same revision text, encrypted fields encrypted, the blind index set, sealed revisions sealed."""

from __future__ import annotations

import json
import unicodedata
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from mediation_desk.domain import canonical
from mediation_desk.domain.codes import CaseSource, PartyRole
from mediation_desk.domain.intake import CaseInput, PartyInput, clean_case
from mediation_desk.domain.lifecycle import CaseStatus
from mediation_desk.domain.permissions import Permission
from mediation_desk.security import binding
from mediation_desk.security.fields import holds_sealed, is_token
from mediation_desk.services import cases
from mediation_desk.services.desk import Desk, UnitOfWork
from mediation_desk.store import revisions
from mediation_desk.store.bulk import BulkWriter, page_cache, revision_text
from mediation_desk.store.models import Base, DisputeCase, Party, Revision

ID_NUMBER = "11010519491231002X"  # the standard's own example number, nobody's


def _input(*, id_number: str = "", phone: str = "") -> CaseInput:
    return CaseInput(
        intake_date=date(2026, 2, 3),
        source=CaseSource.APPLICATION,
        category="02",
        facts="排水沟堵塞，雨水漫进邻居院子",
        parties=[
            PartyInput("郑甲", PartyRole.APPLICANT, id_number=id_number, phone=phone),
            PartyInput("冯乙", PartyRole.RESPONDENT),
        ],
    )


def test_revision_text_is_the_canonical_text_of_row_data() -> None:
    decomposed = unicodedata.normalize("NFD", "é村")
    row: dict[str, Any] = {
        "id": uuid.uuid4(),
        "org_id": uuid.uuid4(),
        "number": "(2026)缙五人调字第1号",
        "number_year": 2026,
        "number_seq": 1,
        "intake_date": date(2026, 2, 3),
        "source": CaseSource.REFERRAL,
        "referral_body": decomposed,
        "category": "02",
        "subtype": None,
        "facts": 'quotes " and \\ and a line\nbreak and \u2028',
        "amount_fen": 10**12,
        "persons": 0,
        "group_dispute": True,
        "risk_flags": ["violence", decomposed],
        "status": CaseStatus.AGREED,
        "created_at": datetime(2026, 2, 3, 4, 5, 6, 7, tzinfo=UTC),
        "updated_at": datetime(2026, 2, 3, 4, 5, 6, 8, tzinfo=UTC),
        "rev_device": uuid.uuid4(),
        "rev_seq": 5,
        "rev_hlc": "x",
    }
    expected = canonical.dumps_plain(revisions.row_data("dispute_case", row))
    assert revision_text("dispute_case", row) == expected
    assert '"rev_seq"' not in expected
    assert "é" in expected
    sparse = {"id": row["id"], "name": "郑甲", "role": PartyRole.APPLICANT}  # the columns left out are null
    assert revision_text("party", sparse) == canonical.dumps_plain(revisions.row_data("party", sparse))


def test_revision_text_takes_any_value_as_canonical_plain_does() -> None:
    """Values of other types than their columns' (a text id, a tuple, a nested object, an integer enumeration)
    give the text ``row_data`` gives, and a value without a canonical form is refused alike."""
    row: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "risk_flags": ({"b": 1, "a": [date(2026, 1, 2)]}, "x"),
        "persons": PartyRole.APPLICANT,
        "facts": unicodedata.normalize("NFD", "Café"),
    }
    assert revision_text("dispute_case", row) == canonical.dumps_plain(revisions.row_data("dispute_case", row))
    with pytest.raises(canonical.CanonicalError):
        revision_text("dispute_case", {**row, "amount_fen": 1.5})
    with pytest.raises(canonical.CanonicalError):
        canonical.dumps_plain(revisions.row_data("dispute_case", {**row, "amount_fen": 1.5}))


def _raw(desk: Desk, table: str, record_id: uuid.UUID) -> dict[str, Any]:
    with desk.read() as session:
        connection = session.connection()
        hex_id = connection.dialect.type_descriptor(sa.Uuid()).bind_processor(connection.dialect)
        assert hex_id is not None
        found = connection.exec_driver_sql(f"SELECT * FROM {table} WHERE id = ?", (hex_id(record_id),))
        return dict(found.mappings().one())


def test_bulk_rows_are_stored_as_core_stores_them(desk: Desk) -> None:
    """The same case through the bulk writer (driver executemany) and through Core (``sa.insert``): every column
    stored alike but the ids, the number and the stamps; the party's ID and phone numbers encrypted, its blind
    index the desk's, its revision sealed at rest and plain when read."""

    def body(work: UnitOfWork) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID]:
        org = desk.own_org(work.session)
        writer = BulkWriter(work.session)
        values, parties = cases.case_values(
            work.session, org, clean_case(_input(id_number=ID_NUMBER, phone="13800001111"))
        )
        with page_cache(work.session):
            bulk_case = writer.add(DisputeCase, values)
            bulk_parties = [writer.add(Party, party) for party in parties]
            writer.flush()
        core, core_parties = cases.case_values(
            work.session, org, clean_case(_input(id_number=ID_NUMBER, phone="13800001111"))
        )
        now = datetime.now(UTC)
        for row in (core, *core_parties):
            row.update(created_at=now, updated_at=now)
        connection = work.session.connection()
        connection.execute(sa.insert(Base.metadata.tables["dispute_case"]), [{**core, "closing_date": None}])
        connection.execute(sa.insert(Base.metadata.tables["party"]), core_parties)
        return bulk_case, bulk_parties[0], core["id"], core_parties[0]["id"]  # type: ignore[return-value]

    bulk_case, bulk_party, core_case, core_party = desk.run("test.bulk", Permission.EDIT_CASE, body).value
    own = {"id", "number", "number_seq", "rev_device", "rev_seq", "rev_hlc", "created_at", "updated_at", "case_id"}
    for table, bulk_id, core_id in (("dispute_case", bulk_case, core_case), ("party", bulk_party, core_party)):
        bulk_row, core_row = _raw(desk, table, bulk_id), _raw(desk, table, core_id)
        assert bulk_row.keys() == core_row.keys()
        for name in bulk_row.keys() - own:
            if name in ("id_number", "phone"):  # encrypted with a fresh nonce each time: both tokens
                assert is_token(bulk_row[name]), name
                assert is_token(core_row[name]), name
            else:
                assert bulk_row[name] == core_row[name], name
        assert type(bulk_row["created_at"]) is type(core_row["created_at"])
        assert len(str(bulk_row["created_at"])) == len(str(core_row["created_at"]))
    party = _raw(desk, "party", bulk_party)
    assert party["id_number_index"] == binding.blind_index(desk.database.engine, ID_NUMBER)
    with desk.read() as session:
        stored = session.scalars(sa.select(Party).where(Party.id == bulk_party)).one()
        assert (stored.id_number, stored.phone) == (ID_NUMBER, "13800001111")
        revision = session.scalars(sa.select(Revision).where(Revision.record_id == bulk_party)).one()
        assert json.loads(revision.data)["id_number"] == ID_NUMBER  # plain when read
        raw = session.connection().exec_driver_sql("SELECT data FROM revision WHERE id = ?", (revision.id,)).scalar()
        assert holds_sealed(str(raw))
        assert ID_NUMBER not in str(raw)
        plain = session.connection().exec_driver_sql(
            "SELECT data FROM revision WHERE table_name = 'party' AND id != ? AND change_id = ?",
            (revision.id, revision.change_id),
        )
        assert [holds_sealed(str(text)) for (text,) in plain] == [False]  # nothing to seal: stored as made
        assert json.loads(revision.vv) == {str(revision.origin_device): revision.origin_seq}
        case_revision = session.scalars(sa.select(Revision).where(Revision.record_id == bulk_case)).one()
        case_row = session.get(DisputeCase, bulk_case)
        assert case_row is not None
        columns = {c.key: getattr(case_row, c.key) for c in sa.inspect(DisputeCase).column_attrs}
        assert case_revision.data == canonical.dumps_plain(revisions.row_data("dispute_case", columns))
        assert case_revision.case_id == bulk_case
        assert revision.case_id == bulk_case
        cache = session.connection().exec_driver_sql("PRAGMA cache_size").scalar()
        assert cache == -2000  # the larger page cache was the bulk write's only
