"""Every document in a sync file is strict canonical JSON; versions say who can read it (SYNC.md "Parsing",
"Versions").

Malformed JSON of every kind, in the signed manifest and in revision lines, is refused with the class that says
why (``MalformedJson``, ``NotCanonical``, ``NotNormalized``) and where (member and line): duplicate keys, NaN and
Infinity, floats, a byte order mark, deep nesting, an overlong line, trailing garbage, another key order or
spacing, escapes, lone surrogates, invalid UTF-8. A name spelt in NFD is refused as not normalised; one that is
NFC only next to an escape is not. A newer schema asks for an upgrade; an unknown format or a newer reader
version is refused; an older schema is the caller's to convert.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest

from mediation_desk.domain import canonical
from mediation_desk.sync.errors import (
    BadManifest,
    FormatTooNew,
    MalformedJson,
    NotCanonical,
    NotNormalized,
    SchemaTooNew,
    SyncFileError,
    UnknownFormat,
)
from mediation_desk.sync.limits import KIB, Limits
from tests.sync import fileformat_support as fs

REVISIONS = fs.REVISIONS


def _honest_manifest() -> fs.Forgery:
    return fs.Forgery(members=fs.standard_members(fs.Rows(fs.village()).many(2)))


def _replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data, old
    return data.replace(old, new, 1)


MANIFEST_CHANGES: dict[str, tuple[Any, type[SyncFileError]]] = {
    "a key given twice": (lambda m: _replace_once(m, b'"kind":', b'"kind":"full","kind":'), MalformedJson),
    "NaN": (lambda m: _replace_once(m, b'"receipts":0', b'"receipts":NaN'), MalformedJson),
    "Infinity": (lambda m: _replace_once(m, b'"receipts":0', b'"receipts":Infinity'), MalformedJson),
    "-Infinity": (lambda m: _replace_once(m, b'"receipts":0', b'"receipts":-Infinity'), MalformedJson),
    "a float": (lambda m: _replace_once(m, b'"receipts":0', b'"receipts":0.0'), MalformedJson),
    "an exponent": (lambda m: _replace_once(m, b'"receipts":0', b'"receipts":0e0'), MalformedJson),
    "a byte order mark": (lambda m: b"\xef\xbb\xbf" + m, MalformedJson),
    "deep nesting": (lambda m: _replace_once(m, b'"orgs":[', b'"orgs":' + b"[" * 20 + b"]" * 19 + b","), MalformedJson),
    "very deep nesting": (lambda m: m[:-1] + b',"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}", MalformedJson),
    "trailing garbage": (lambda m: m + b"x", MalformedJson),
    "a second document": (lambda m: m + b"\n{}", MalformedJson),
    "a space": (lambda m: _replace_once(m, b'"kind":', b'"kind": '), NotCanonical),
    "a newline": (lambda m: m + b"\n", NotCanonical),
    "another key order": (lambda m: _replace_once(m, b'{"app_version":', b'{"zz":0,"app_version":'), NotCanonical),
    "an escaped letter": (lambda m: _replace_once(m, b'"kind":"', b'"kind":"\\u0069'), NotCanonical),
    "a lone surrogate": (lambda m: _replace_once(m, b'"app_version":"', b'"app_version":"\\ud800'), MalformedJson),
    "invalid UTF-8": (lambda m: _replace_once(m, b'"app_version":"', b'"app_version":"\xff'), MalformedJson),
    "an integer beyond 64 bits": (
        lambda m: _replace_once(m, b'"receipts":0', b'"receipts":' + b"9" * 30),
        MalformedJson,
    ),
    "thousands of digits": (lambda m: _replace_once(m, b'"receipts":0', b'"receipts":' + b"9" * 5000), MalformedJson),
    "NFD text": (lambda m: _replace_once(m, b'"app_version":"', '"app_version":"e\u0301'.encode()), NotNormalized),
    "not an object": (lambda m: b"[" + m + b"]", UnknownFormat),
}


@pytest.mark.parametrize("case", sorted(MANIFEST_CHANGES))
def test_malformed_json_in_the_signed_manifest_is_refused(tmp_path: Path, case: str) -> None:
    change, error_type = MANIFEST_CHANGES[case]
    forgery = _honest_manifest()
    forgery.method = zipfile.ZIP_STORED  # deep nesting compresses past any sane ratio
    forgery.manifest = change(forgery.manifest_bytes())
    error = fs.refusal(fs.forge(tmp_path / "m.mdsync", forgery))
    assert type(error) is error_type, error
    assert error.member == "manifest.json"


def _line(**changes: Any) -> bytes:
    revision = fs.Rows(fs.village()).revision(facts="邻里纠纷", place="东村", amount=100, status="accepted")
    return fs.signed_line(fs.village().signer, {**revision.body(), **changes})


def _valid_line() -> bytes:
    return fs.Rows(fs.village()).revision(facts="邻里纠纷", place="东村", amount=100, status="accepted").line()


LINE_CHANGES: dict[str, tuple[Any, type[SyncFileError]]] = {
    "a key given twice": (lambda x: _replace_once(x, b'{"data":{', b'{"data":{},"data":{'), MalformedJson),
    "NaN": (lambda x: _replace_once(x, b'"amount":100', b'"amount":NaN'), MalformedJson),
    "Infinity": (lambda x: _replace_once(x, b'"amount":100', b'"amount":Infinity'), MalformedJson),
    "a float": (lambda x: _replace_once(x, b'"amount":100', b'"amount":100.0'), MalformedJson),
    "an exponent": (lambda x: _replace_once(x, b'"amount":100', b'"amount":1E2'), MalformedJson),
    "a leading zero": (lambda x: _replace_once(x, b'"amount":100', b'"amount":0100'), MalformedJson),
    "minus zero": (lambda x: _replace_once(x, b'"amount":100', b'"amount":-0'), NotCanonical),
    "a byte order mark": (lambda x: b"\xef\xbb\xbf" + x, MalformedJson),
    "nesting past the cap": (
        lambda x: _replace_once(x, b'"amount":100', b'"amount":' + b"[" * 17 + b"]" * 17),
        MalformedJson,
    ),
    "very deep nesting": (
        lambda x: _replace_once(x, b'"amount":100', b'"amount":' + b"[" * 50_000 + b"]" * 50_000),
        MalformedJson,
    ),
    "trailing garbage": (lambda x: x + b" x", MalformedJson),
    "two documents on a line": (lambda x: x + x, MalformedJson),
    "a space after a colon": (lambda x: _replace_once(x, b'"amount":100', b'"amount": 100'), NotCanonical),
    "a trailing space": (lambda x: x + b" ", NotCanonical),
    "a carriage return": (lambda x: x + b"\r", NotCanonical),
    "another key order": (
        lambda x: _replace_once(x, b'"amount":100,"facts"', b'"facts":"x","amount":100,"facts"'),
        MalformedJson,
    ),
    "keys out of order": (
        lambda x: _replace_once(x, b'{"data":{"amount":100,', b'{"data":{"zz":1,"amount":100,'),
        NotCanonical,
    ),
    "an escaped CJK character": (lambda x: _replace_once(x, "邻".encode(), b"\\u90bb"), NotCanonical),
    "an escaped slash": (lambda x: _replace_once(x, "东村".encode(), b"\\/"), NotCanonical),
    "a lone surrogate": (lambda x: _replace_once(x, "东村".encode(), b"\\udc00"), MalformedJson),
    "a surrogate pair escaped": (lambda x: _replace_once(x, "东村".encode(), b"\\ud840\\udc0c"), NotCanonical),
    "invalid UTF-8": (lambda x: _replace_once(x, "东村".encode(), b"\xe4\xb8"), MalformedJson),
    "an overlong UTF-8 slash": (lambda x: _replace_once(x, "东村".encode(), b"\xc0\xaf"), MalformedJson),
    "an integer beyond 64 bits": (
        lambda x: _replace_once(x, b'"amount":100', b'"amount":18446744073709551616'),
        MalformedJson,
    ),
    "not an object": (lambda x: b"[" + x + b"]", SyncFileError),
    "an empty line": (lambda x: b"", MalformedJson),
    "NUL bytes": (lambda x: b"\x00" * 10, MalformedJson),
}


def _members_with(lines: bytes) -> dict[str, bytes]:
    return {**fs.standard_members(), REVISIONS: lines}


@pytest.mark.parametrize("case", sorted(LINE_CHANGES))
def test_malformed_json_in_a_revision_line_is_refused(tmp_path: Path, case: str) -> None:
    change, error_type = LINE_CHANGES[case]
    good = _valid_line()
    lines = good + b"\n" + change(good) + b"\n"
    error = fs.refusal(fs.forge(tmp_path / "l.mdsync", members=_members_with(lines), method=zipfile.ZIP_STORED))
    assert isinstance(error, error_type), error
    if error_type is not SyncFileError:
        assert type(error) is error_type, error
    assert (error.member, error.line) == (REVISIONS, 2)
    assert f"{REVISIONS} 第 2 行" in str(error)


def test_an_overlong_line_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    long_line = _line(data={"id": str(uuid.UUID(int=1)), "facts": "纠" * 3000})
    path = fs.forge(tmp_path / "long.mdsync", members=_members_with(_valid_line() + b"\n" + long_line + b"\n"))
    error = fs.refusal(path, limits=Limits(max_line_bytes=4 * KIB), tables=None)
    assert type(error) is MalformedJson
    assert (error.member, error.line) == (REVISIONS, 2)
    assert "超过 4 KB" in str(error)
    endless = _valid_line() + b"\n" + b"x" * (64 * KIB)  # no newline at all, longer than the cap
    path = fs.forge(tmp_path / "endless.mdsync", members=_members_with(endless), method=zipfile.ZIP_STORED)
    error = fs.refusal(path, limits=Limits(max_line_bytes=4 * KIB))
    assert type(error) is MalformedJson
    assert error.line == 2


def test_a_last_line_without_its_newline_is_refused(tmp_path: Path) -> None:
    path = fs.forge(tmp_path / "cut.mdsync", members=_members_with(_valid_line() + b"\n" + _valid_line()))
    error = fs.refusal(path)
    assert type(error) is MalformedJson
    assert "缺少换行" in str(error)


def test_a_name_spelt_in_nfd_is_refused_as_not_normalised(tmp_path: Path) -> None:
    """Validly signed over its NFD bytes: only the spelling is wrong. The writer itself always writes NFC."""
    rows = fs.Rows(fs.village())
    party = rows.revision("party", case_id=str(uuid.UUID(int=3)), name="王小明", role="applicant")
    nfd_name = "Zoe\u0308 王小明"  # Zoë with a combining diaeresis
    line = fs.signed_line(fs.village().signer, {**party.body(), "data": {**party.data, "name": nfd_name}})
    error = fs.refusal(fs.forge(tmp_path / "nfd.mdsync", members=_members_with(line + b"\n")))
    assert type(error) is NotNormalized
    assert (error.member, error.line) == (REVISIONS, 1)
    assert "NFC" in str(error)
    assert "Zoe" in str(error)
    nfd_key = fs.signed_line(fs.village().signer, {**party.body(), "data": {**party.data, "e\u0301": 1}})
    assert type(fs.refusal(fs.forge(tmp_path / "key.mdsync", members=_members_with(nfd_key + b"\n")))) is NotNormalized
    written = fs.write(tmp_path / "nfc.mdsync", [rows.revision("party", case_id="x", name=nfd_name, role="applicant")])
    _opened, read = fs.read(written.path)
    assert read[0].revision.data["name"] == "Zoë 王小明"


def test_text_that_is_nfc_only_beside_an_escape_is_accepted(tmp_path: Path) -> None:
    """A newline then a combining tilde is NFC as a string; its escaped text ``\\n`` + U+0303 reads as ``ñ``."""
    rows = fs.Rows(fs.village())
    texts = ["第一行\n\u0303", "\t\u0307", "\r\u0301", "\b\u0307", "\f\u0307", '"\u0338', "\\\u0338"]
    revisions = [rows.revision(facts=text, place="东村", amount=1, status="accepted") for text in texts]
    _opened, read = fs.read(fs.write(tmp_path / "escapes.mdsync", revisions).path)
    assert [item.revision.data["facts"] for item in read] == texts


# ---------------------------------------------------------------------------------------------------------------
# Versions


def test_a_newer_schema_asks_for_an_upgrade(tmp_path: Path) -> None:
    written = fs.write(tmp_path / "new.mdsync", fs.Rows(fs.village()).many(2), schema_version=fs.SCHEMA + 1)
    error = fs.refusal(written.path)
    assert type(error) is SchemaTooNew
    assert f"（{fs.SCHEMA + 1}）比本程序的（{fs.SCHEMA}）新" in str(error)
    assert "请先升级调解工作台" in str(error)


def test_an_older_schema_is_reported_for_the_caller_to_convert(tmp_path: Path) -> None:
    revisions = list(fs.Rows(fs.village()).many(2))
    written = fs.write(tmp_path / "old.mdsync", revisions, schema_version=fs.SCHEMA - 1)
    opened, read = fs.read(written.path)
    assert opened.manifest.schema_version == fs.SCHEMA - 1 < fs.SCHEMA
    assert [item.revision for item in read] == revisions


def _edited(tmp_path: Path, edit: Any) -> SyncFileError | None:
    forgery = _honest_manifest()
    forgery.edit = edit
    path = fs.forge(tmp_path / "v.mdsync", forgery)
    try:
        fs.read(path)
    except SyncFileError as error:
        fs.assert_clear(error)
        return error
    return None


@pytest.mark.parametrize(
    ("edit", "error_type", "words"),
    [
        (lambda m: m.update(format="another-program-sync"), UnknownFormat, "未知格式"),
        (lambda m: m.pop("format"), UnknownFormat, "未知格式"),
        (lambda m: m.update(format_version=2, min_reader_version=2), FormatTooNew, "请先升级"),
        (lambda m: m.update(format_version=9, min_reader_version=3, future={"x": 1}), FormatTooNew, "格式版本 9"),
        (lambda m: m.update(min_reader_version=2), BadManifest, "格式版本号"),
        (lambda m: m.update(format_version=0), BadManifest, "格式版本号"),
        (lambda m: m.update(format_version="1"), BadManifest, "格式版本号"),
        (lambda m: m.update(format_version=True), BadManifest, "格式版本号"),
        (lambda m: m.update(schema_version=0), BadManifest, "schema_version"),
        (lambda m: m.update(future={"x": 1}), BadManifest, "未知字段 future"),
        (lambda m: m["sender"].update(phone="13800000000"), BadManifest, "未知字段 sender.phone"),
        (lambda m: m.pop("counts"), BadManifest, "缺少字段 counts"),
        (lambda m: m["created"].update(wall="2026-03-01 08:30:00"), BadManifest, "UTC"),
        (lambda m: m.update(kind="partial"), BadManifest, "kind"),
        (lambda m: m["scope"].update(orgs=["../x"]), BadManifest, "单位代码"),
        (lambda m: m["members"][0].update(name="../revisions-0001.jsonl"), BadManifest, "name"),
        (lambda m: m["members"].append({**m["members"][0]}), BadManifest, "成员重复"),
    ],
)
def test_versions_and_fields_the_reader_does_not_know_are_refused(
    tmp_path: Path, edit: Any, error_type: type, words: str
) -> None:
    error = _edited(tmp_path, edit)
    assert type(error) is error_type, error
    assert words in str(error)


def test_a_newer_format_that_old_readers_may_read_is_read(tmp_path: Path) -> None:
    """``min_reader_version`` 1: fields this reader does not know are ignored, at the top and inside."""

    def newer(manifest: dict[str, Any]) -> None:
        manifest.update(format_version=2, min_reader_version=1, signing_policy={"level": 2})
        manifest["sender"]["display"] = "示例村"

    assert _edited(tmp_path, newer) is None


def test_every_document_in_a_written_file_is_canonical(tmp_path: Path) -> None:
    written = fs.write(
        tmp_path / "out.mdsync",
        fs.Rows(fs.village()).many(5),
        certificates=(fs.certify(fs.village(), fs.township()),),
    )
    archive = zipfile.ZipFile(io.BytesIO(fs.payload(written.path, fs.township().identity)))
    for name in ("manifest.json", "certs.json"):
        data = archive.read(name)
        assert canonical.canonical_bytes(json.loads(data)) == data, name
    for line in archive.read(REVISIONS).splitlines():
        assert canonical.canonical_bytes(json.loads(line)) == line
