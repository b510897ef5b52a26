"""How the minutes word an election (bầu cử) and a confidence vote (lấy phiếu tín nhiệm).

``PollWords`` hands these two kinds over here. Every number is the server's result: the
votes and share of each candidate and who is elected or tied for the last seat; for each
person the count and share of each level and whether the "low" ratings reach the flag.
Shares of an election are of its base (everyone summoned); of a confidence vote, of the
ballots returned (NQ 96/2023/QH15 Art. 19), as the result says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

ELECTION, CONFIDENCE = "election", "confidence"

WORDS: Mapping[str, Mapping[str, Any]] = {
    "vi": {
        "votes": "phiếu",
        "kept_nobody": "Phiếu không giữ tên nào",
        "elected_mark": "trúng cử",
        "tied_mark": "bằng phiếu ở ghế cuối",
        "elected": "Trúng cử",
        "none_elected": "Không ai trúng cử",
        "tied": "Bằng phiếu ở ghế cuối, bầu lại trong số",
        "levels": ("tín nhiệm cao", "tín nhiệm", "tín nhiệm thấp"),
        "flag": {
            "more_than_half": "quá nửa phiếu tín nhiệm thấp",
            "two_thirds": "từ hai phần ba phiếu tín nhiệm thấp",
        },
        "flag_needs": "từ {needed} phiếu tín nhiệm thấp trên {base} phiếu thu về là {flag}",
        "flagged": "Có {flag}",
        "none_flagged": "Không ai có {flag}",
        "seats": "{seats} ghế",
        "each_candidate": "mỗi ứng cử viên",
    },
    "en": {
        "votes": "votes",
        "kept_nobody": "Ballots keeping no name",
        "elected_mark": "elected",
        "tied_mark": "tied for the last seat",
        "elected": "Elected",
        "none_elected": "Nobody elected",
        "tied": "Tied for the last seat, a new round among",
        "levels": ("high confidence", "confidence", "low confidence"),
        "flag": {
            "more_than_half": "more than half low confidence",
            "two_thirds": "at least two thirds low confidence",
        },
        "flag_needs": "{needed} low ratings of {base} ballots returned mean {flag}",
        "flagged": "With {flag}",
        "none_flagged": "Nobody with {flag}",
        "seats": "{seats} seat(s)",
        "each_candidate": "each candidate",
    },
}

Percent = Callable[[int, int, str], str]


class SpecialWords:
    def __init__(self, labels: Mapping[str, Any], language: str, percent: Percent) -> None:
        self.labels = labels  # the minutes' labels: who did not vote, who was absent
        self.words = WORDS.get(language, WORDS["en"])
        self.language = language
        self.percent = percent

    def _presence_rows(self, result: Mapping[str, Any], in_base: bool) -> list[dict[str, Any]]:
        """Present and no ballot, then absent: apart, never lumped with the ballots."""
        base = int(result["base"])
        absent = int(result.get("absent", result["members"] - result["present"]))
        rows = [self._row(self.labels["did_not_vote"], result["did_not_vote"], base)]
        if absent:
            rows.append(self._row(self.labels["absent_at_poll"], absent, base))
        for row in rows:
            units = self.labels["units"]
            row["unit"] = units["one" if row["count"] == 1 else "other"]
            row["share"] = row["share"] if in_base else ""
        return rows

    def _row(self, label: str, count: int, whole: int, extra: str = "") -> dict[str, Any]:
        return {
            "label": label,
            "count": count,
            "unit": self.words["votes"],
            "share": self.percent(count, whole, self.language),
            "width": round(100 * count / max(whole, 1)),
            "extra": extra,
        }

    def needs_text(self, poll: Mapping[str, Any], general: str) -> str:
        result = poll.get("result")
        if poll["kind"] == ELECTION:
            seats = self.words["seats"].format(seats=poll.get("max_choices", 1))
            if result is not None:
                seats = self.words["seats"].format(seats=result["election"]["seats"])
            return f"{seats}; {self.words['each_candidate']} {general}" if general else seats
        if result is None:
            return str(self.words["flag"][poll.get("low_flag") or "more_than_half"])
        conf = result["confidence"]
        return str(self.words["flag_needs"]).format(
            needed=conf["needed"], base=conf["base"], flag=self.words["flag"][conf["low_flag"]]
        )

    def tally_rows(self, poll: Mapping[str, Any]) -> list[dict[str, Any]]:
        """An election: every candidate (votes, share of the base, elected or tied), the
        ballots that kept nobody, then the usual rows of who did not vote. A confidence
        vote: each person's three levels, the "low" row marked when flagged."""
        result, names = poll["result"], poll["options"]
        if poll["kind"] == ELECTION:
            rows = []
            for c in result["election"]["candidates"]:
                mark = "elected_mark" if c["elected"] else "tied_mark" if c["tied"] else ""
                extra = str(self.words[mark]) if mark else ""
                rows.append(self._row(names[c["index"]], c["votes"], result["base"], extra))
            rows.append(self._row(self.words["kept_nobody"], result["abstentions"], result["base"]))
            return rows + self._presence_rows(result, in_base=True)
        conf = result["confidence"]
        rows = []
        flag = str(self.words["flag"][conf["low_flag"]])
        for person in conf["persons"]:
            for level, count in enumerate(person["counts"]):
                label = f"{names[person['index']]} — {self.words['levels'][level]}"
                extra = flag if level == 2 and person["flagged"] else ""
                rows.append(self._row(label, count, conf["base"], extra))
        return rows + self._presence_rows(result, in_base=False)

    def result_text(self, poll: Mapping[str, Any]) -> str:
        result, names = poll["result"], poll["options"]
        if poll["kind"] == ELECTION:
            parts = [
                f"{self.words['elected']}: {', '.join(names[i] for i in result['winners'])}"
                if result["winners"]
                else str(self.words["none_elected"])
            ]
            ties = result["election"]["tie_for_last_seat"]
            if ties:
                parts.append(f"{self.words['tied']}: {', '.join(names[i] for i in ties)}")
            return "; ".join(parts)
        conf = result["confidence"]
        flag = self.words["flag"][conf["low_flag"]]
        if not conf["flagged"]:
            return str(self.words["none_flagged"]).format(flag=flag)
        flagged = ", ".join(names[i] for i in conf["flagged"])
        return f"{str(self.words['flagged']).format(flag=flag)}: {flagged}"
