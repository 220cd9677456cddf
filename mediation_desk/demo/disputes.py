"""Synthetic dispute texts: claimed and agreed amounts, facts, requests, agreement terms, investigation notes and
session records, filled in from the templates of ``resources/data/demo/disputes.json`` and ``records.json``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mediation_desk.demo.people import PeopleSynth
from mediation_desk.demo.places import Place
from mediation_desk.demo.templates import DisputeTemplate, dispute_words, record_words
from mediation_desk.domain.codes import all_categories


def yuan_text(fen: int) -> str:
    """Amounts as written in mediation papers: 人民币 32000 元 (whole yuan when there are no fen)."""
    yuan, cents = divmod(fen, 100)
    return f"{yuan}元" if cents == 0 else f"{yuan}.{cents:02d}元"


def date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True, slots=True)
class DisputeText:
    """A dispute's texts: category (with sub-type when one applies), title, facts, requests, agreement terms."""

    category: str
    subtype: str | None
    title: str
    facts: str
    requests: str
    terms: tuple[str, ...]
    investigation: str
    money: bool


class DisputeSynth(PeopleSynth):
    """Seeded synthetic dispute texts (and the people they are about)."""

    def amount_fen(self, category: str) -> int:
        """A claimed amount for the category, in fen: log-uniform, rounded to 100 yuan (to 10 below 2,000)."""
        low, high = dispute_words().amounts_yuan[category]
        value: float = low * (high / low) ** self.rng.random()
        step = 10 if value < 2_000 else 100
        return max(step, round(value / step) * step) * 100

    def agreed_fen(self, claimed: int) -> int:
        """The amount agreed in mediation: usually somewhat less than the claim, rounded to 10 yuan."""
        share = self.rng.choice((1.0, 1.0, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6))
        return max(1000, round(claimed * share / 1000) * 1000)

    def template_for(self, category: str) -> DisputeTemplate:
        return self.rng.choice(dispute_words().templates[category])

    def dispute(
        self,
        category: str,
        applicant: str,
        respondent: str,
        place: Place,
        *,
        claimed_fen: int = 0,
        agreed_fen: int = 0,
        deadline: date | None = None,
        persons: int = 0,
        year: int | None = None,
        template: DisputeTemplate | None = None,
    ) -> DisputeText:
        """Texts for a dispute of ``category`` between the named parties."""
        words = dispute_words()
        chosen = template or self.template_for(category)
        values = {
            "a": applicant,
            "b": respondent,
            "amount": f"人民币{yuan_text(claimed_fen)}" if claimed_fen else "若干",
            "agreed": f"人民币{yuan_text(agreed_fen)}" if agreed_fen else "相应款项",
            "village": place.village,
            "township": place.township,
            "year": year or self.today.year - 1,
            "deadline": date_text(deadline) if deadline else "协议签订当日",
            "thing": self.rng.choice(words.things),
            "n": max(persons, 2),
        }
        category_name = all_categories()[category].name
        focus = words.focus[category]
        return DisputeText(
            category=category,
            subtype=chosen.subtype,
            title=f"{applicant}与{respondent}{category_name}",
            facts=chosen.facts.format(**values),
            requests=chosen.requests.format(**values),
            terms=tuple(term.format(**values) for term in chosen.terms),
            investigation=self.rng.choice(words.investigation).format(focus=focus, **values),
            money=chosen.money,
        )

    def session_body(
        self, applicant: str, respondent: str, category: str, *, final: bool, success: bool, terminated: bool = False
    ) -> str:
        """A session record's body: rights notice, each side's statement, the mediator's work, the result."""
        words = record_words().sessions
        focus = dispute_words().focus[category]
        statements = words.statements.format(applicant=applicant, respondent=respondent, focus=focus)
        work = self.rng.choice(words.work)
        return words.opening + statements + work + words.endings[session_ending(final, success, terminated)]


def session_ending(final: bool, success: bool, terminated: bool) -> str:
    """Which ending a session record has (a key of the session texts' ``endings`` and ``results``)."""
    if not final:
        return "adjourned"
    if terminated:
        return "terminated"
    return "agreed" if success else "failed"
