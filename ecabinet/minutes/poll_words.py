"""How the minutes word one poll: its rule and what it needs, the quorum counted, the count
row by row and the result. ``labels.py`` gives every word; every number comes from the
record, which has it from the server's events (the tally, the requirement): nothing here
decides whether a poll passed.

The count always states the base and the number needed, and keeps apart what the law keeps
apart: an abstention ("Không biểu quyết", Law 77/2015 Art. 117(1)) is a vote; a member
present who cast no ballot did not take part ("Không tham gia biểu quyết"); a member
neither present nor represented when the poll opened was absent. Percentages are of the
rule's base (rows outside it, such as abstentions under a majority of votes cast, get
none); the Party layout gives every share of the full membership (MINUTES_LAYOUT.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ecabinet.minutes.election_words import CONFIDENCE, ELECTION, SpecialWords

YES_NO = "yes_no_abstain"
SPECIAL_KINDS = (ELECTION, CONFIDENCE)  # worded by election_words.py
# Members without a device (voting/_clerk.py): the mark on a vote the clerk recorded, and
# the paper ballots of a secret poll as the ballot-counting board counted them.
CLERK_WORDS = {
    "vi": {
        "recorded": "thư ký ghi nhận",
        "paper": "Phiếu giấy (Ban kiểm phiếu): phát ra {issued}, thu vào {returned}, "
        "hợp lệ {valid}, không hợp lệ {invalid}; đã tính vào kết quả",
    },
    "en": {
        "recorded": "recorded by the clerk",
        "paper": "Paper ballots (ballot-counting board): {issued} issued, {returned} returned, "
        "{valid} valid, {invalid} invalid; counted in the result",
    },
}


def percent(part: int, whole: int, language: str) -> str:
    if whole <= 0:
        return "–"
    text = f"{100 * part / whole:.1f}".rstrip("0").rstrip(".")
    return (text.replace(".", ",") if language == "vi" else text) + "%"


class PollWords:
    def __init__(self, labels: Mapping[str, Any], language: str, layout: str) -> None:
        self.labels = labels
        self.language = language
        self.layout = layout
        self.special = SpecialWords(labels, language, percent)

    def _plural(self, key: str, count: int) -> str:
        forms = self.labels[key]
        return str(forms["one" if count == 1 else "other"])

    def quorum_text(self, rule: Mapping[str, Any]) -> str:
        texts = self.labels["quorums"]
        if rule["kind"] == "none":
            return str(texts["none"])
        if rule["kind"] == "count":
            return str(texts["count"]).format(count=rule["count"])
        num, den = rule["fraction"]
        return str(texts["strict" if rule["strict"] else "at_least"]).format(num=num, den=den)

    def quorum_counted(self, numbers: Mapping[str, Any]) -> str:
        """The quorum counted at the close: present or represented, of all, required."""
        return str(self.labels["quorum_counted"]).format(
            present=numbers["present"], members=numbers["members"], needed=numbers["needed"]
        )

    def needs_text(self, poll: Mapping[str, Any]) -> str:
        """What the poll needed: from its result once closed, from the requirement its
        events carried before; empty while the base is not known (or in an old log)."""
        result = poll.get("result")
        if result is not None:
            kind, base, needed = result["majority"]["base"], result["base"], result["needed"]
        elif poll.get("requirement"):
            known = poll["requirement"]
            kind, base, needed = known["base_kind"], known["base"], known["needed"]
        else:
            return ""
        if poll["kind"] == CONFIDENCE:
            return self.special.needs_text(poll, "")
        if base is None or needed is None:
            return ""
        options = poll["kind"] != YES_NO
        key = "cast_options" if options and kind == "cast" else kind
        text = str(self.labels["needs"][key]).format(
            needed=needed,
            votes=self._plural("votes_option" if options else "votes_yes", needed),
            base=base,
            unit=self._plural("units", base),
        )
        if poll["kind"] == ELECTION:
            return self.special.needs_text(poll, text)
        return f"{self.labels['each_option']} {text}" if options else text

    def tally_rows(self, poll: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The count: each answer, then who did not take part and who was absent. A named
        poll names those who did not take part; a secret poll gives their number only."""
        if poll["kind"] in SPECIAL_KINDS:
            return self.special.tally_rows(poll)
        result, labels = poll["result"], self.labels
        members, present, base = int(result["members"]), int(result["present"]), result["base"]
        present_in_base = result["majority"]["base"] != "cast"  # not only the votes cast
        absent_in_base = result["majority"]["base"] == "members"
        absent = int(result.get("absent", members - present))  # older logs: not in the tally
        not_voted = ", ".join(p["name"] for p in poll.get("not_voted", []))
        if poll["kind"] == YES_NO:
            yes, no = result["counts"]
            rows = [
                (labels["choice"]["yes"], yes, True, ""),
                (labels["choice"]["no"], no, True, ""),
                (labels["choice"]["abstain"], result["abstentions"], present_in_base, ""),
            ]
        else:
            counted = zip(poll["options"], result["counts"], strict=True)
            rows = [(label, n, True, "") for label, n in counted]
            rows.append((labels["blank"], result["abstentions"], present_in_base, ""))
        rows.append((labels["did_not_vote"], result["did_not_vote"], present_in_base, not_voted))
        if absent:
            rows.append((labels["absent_at_poll"], absent, absent_in_base, ""))
        party = self.layout == "party"
        whole = members if party else base
        yes_row = 0 if poll["kind"] == YES_NO else -1
        return [
            {
                "label": label,
                "count": count,
                "unit": self._plural("units", count),
                "share": self._share(count, whole, party or in_base, i == yes_row),
                "width": round(100 * count / max(members, 1)),
                "extra": extra,
            }
            for i, (label, count, in_base, extra) in enumerate(rows)
        ]

    def _share(self, count: int, whole: int, shown: bool, first: bool) -> str:
        """``(11,1%)``; the Party layout's first row reads "đạt 11,1%" (reached)."""
        if not shown:
            return ""
        share = percent(count, whole, self.language)
        return str(self.labels["share_first" if first else "share"]).format(share=share)

    def result_text(self, poll: Mapping[str, Any]) -> str:
        result, labels = poll["result"], self.labels
        if poll["kind"] == YES_NO:
            outcome = labels["adopted"] if result["adopted"] else labels["rejected"]
            numbers = str(labels["result_numbers"]).format(
                yes=result["counts"][0],
                base=result["base"],
                votes=self._plural("votes_yes", result["base"]),
                needed=result["needed"],
            )
            return f"{outcome} ({numbers})"
        if poll["kind"] in SPECIAL_KINDS:
            return self.special.result_text(poll)
        if not result["winners"]:
            return str(labels["none_elected"])
        chosen = ", ".join(poll["options"][i] for i in result["winners"])
        return f"{labels['elected']}: {chosen}"

    def roll_call_groups(self, poll: Mapping[str, Any]) -> list[dict[str, Any]]:
        groups: dict[str, list[str]] = {}
        for vote in poll["roll_call"]:
            choice = vote["choice"]
            if isinstance(choice, str):
                label = str(self.labels["choice"][choice])
            else:
                label = ", ".join(choice) if choice else str(self.labels["choice"]["abstain"])
            name = vote["name"]
            if vote.get("cast_by"):
                name = f"{name} ({self.labels['proxy_to']} {vote['cast_by']['name']})"
            if vote.get("recorded_by"):
                name = f"{name} ({self._clerk_words['recorded']})"
            groups.setdefault(label, []).append(name)
        return [{"label": label, "names": names} for label, names in groups.items()]

    @property
    def _clerk_words(self) -> Mapping[str, str]:
        return CLERK_WORDS.get(self.language, CLERK_WORDS["en"])

    def paper_text(self, poll: Mapping[str, Any]) -> str:
        """A secret poll's paper ballots, in numbers only (empty when there were none)."""
        paper = (poll.get("result") or {}).get("paper")
        return "" if not paper else self._clerk_words["paper"].format(**paper)
