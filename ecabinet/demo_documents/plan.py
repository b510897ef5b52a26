"""The demo meeting's agenda: items, sub-items, planned minutes, presenters (demo user
names) and the documents (``DOCUMENTS`` keys) attached to each."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class PlannedItem:
    key: str  # stable handle: a parent's key names it to its sub-items
    title: str
    kind: str  # information | discussion | decision
    planned_minutes: int
    presenter: str  # a demo user name on the roster
    description: str = ""
    documents: tuple[str, ...] = ()
    children: tuple[PlannedItem, ...] = ()


AGENDA = (
    PlannedItem(
        "opening",
        "Khai mạc; thông qua chương trình phiên họp",
        "information",
        10,
        "chair",
        "Chủ tịch Ủy ban nhân dân tỉnh khai mạc, Chánh Văn phòng báo cáo thành phần dự họp.",
    ),
    PlannedItem(
        "socio-economic",
        "Tình hình kinh tế - xã hội năm 2026 và nhiệm vụ năm 2027",
        "discussion",
        45,
        "member1",
        children=(
            PlannedItem(
                "socio-economic-report",
                "Báo cáo tình hình kinh tế - xã hội năm 2026",
                "information",
                15,
                "member1",
                "Giám đốc Sở Tài chính trình bày báo cáo; các chỉ tiêu chủ yếu tại bảng kèm theo.",
                documents=("bao-cao",),
            ),
            PlannedItem(
                "socio-economic-discussion",
                "Thảo luận các giải pháp thúc đẩy giải ngân vốn đầu tư công",
                "discussion",
                30,
                "member2",
            ),
        ),
    ),
    PlannedItem(
        "public-investment",
        "Kế hoạch đầu tư công năm 2027 nguồn vốn ngân sách địa phương",
        "decision",
        50,
        "member1",
        children=(
            PlannedItem(
                "public-investment-submission",
                "Tờ trình của Sở Tài chính và danh mục dự án khởi công mới",
                "information",
                15,
                "member1",
                documents=("to-trinh", "phu-luc"),
            ),
            PlannedItem(
                "public-investment-resolution",
                "Cho ý kiến dự thảo Nghị quyết trình Hội đồng nhân dân tỉnh",
                "discussion",
                25,
                "member3",
                documents=("du-thao-nghi-quyet",),
            ),
            PlannedItem(
                "public-investment-vote",
                "Biểu quyết thông qua dự thảo Nghị quyết",
                "decision",
                10,
                "chair",
            ),
        ),
    ),
    PlannedItem(
        "digital",
        "Đề án chuyển đổi số tỉnh Hòa Lâm giai đoạn 2026–2030",
        "discussion",
        30,
        "member4",
        "Giám đốc Sở Khoa học và Công nghệ trình bày; các sở, ngành cho ý kiến.",
    ),
    PlannedItem(
        "new-year",
        "Chuẩn bị Tết Nguyên đán Đinh Mùi 2027 và bảo đảm an sinh xã hội",
        "discussion",
        20,
        "member5",
    ),
    PlannedItem(
        "closing",
        "Các vấn đề khác; Chủ tịch kết luận phiên họp",
        "information",
        15,
        "chair",
    ),
)


def walk(
    items: tuple[PlannedItem, ...] = AGENDA, parent: str | None = None
) -> Iterator[tuple[PlannedItem, str | None]]:
    """Every item with its parent's key, parents first (numbering order)."""
    for item in items:
        yield item, parent
        yield from walk(item.children, item.key)
