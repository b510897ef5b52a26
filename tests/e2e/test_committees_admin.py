"""The committees back office in Chromium, in Vietnamese: the administrator creates a People's
Committee with its kind (the rule the law gives it, in words; quorums below it not offered),
a quorum, members picked with their titles, and a minutes profile whose header preview
follows the typing; an empty name is refused in the dialog. Then a committee's clerk (the
clerk of one of its meetings) edits its minutes profile, and nothing else. Every screen is
checked by axe-core (WCAG 2.1 A/AA), for touch targets and sideways scrolling, at 1280×800
and 1024×768 (the profile also on a portrait tablet); screenshots go to test-artifacts/."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import FrameLocator, Page, expect

from harness.server import DEMO_PASSWORD
from tests.e2e.conftest import PORTRAIT, NewContext, admin_client, sign_in
from tests.e2e.test_people_admin import VIEWPORTS, check, sign_in_as

pytestmark = pytest.mark.e2e


def _people_with_titles(base_url: str, tag: str) -> dict[str, dict[str, Any]]:
    """Two new people with titles, to pick as members; by user name."""
    people = {
        f"ct{tag}": ("Nguyễn Thị Hòa", "Chủ tịch UBND xã", "UBND xã Hòa Thuận"),
        f"pct{tag}": ("Lê Văn Thành", "Phó Chủ tịch UBND xã", "UBND xã Hòa Thuận"),
    }
    made = {}
    with admin_client(base_url) as http:
        for username, (name, title, unit) in people.items():
            answer = http.post(
                "/api/users",
                json={"username": username, "display_name": name, "title": title, "unit": unit},
            )
            assert answer.status_code == 201, answer.text
            made[username] = answer.json()["user"]
    return made


def preview(page: Page) -> FrameLocator:
    """The header preview on screen (of the two frames that take turns)."""
    return page.frame_locator("[data-testid=profile-preview-frame][data-shown=true]")


def _committee(http: httpx.Client, name: str) -> dict[str, Any]:
    found = [c for c in http.get("/api/committees").json()["committees"] if c["name"] == name]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_admin_creates_a_committee_with_kind_members_and_a_previewed_profile(
    size: str, new_context: NewContext, base_url: str, artifacts: Path
) -> None:
    tag = secrets.token_hex(2)
    people = _people_with_titles(base_url, tag)
    page = sign_in(new_context(viewport=VIEWPORTS[size]), "admin")
    page.get_by_test_id("nav-committees").click()
    expect(page).to_have_url(re.compile(r"#/admin/committees$"))
    expect(page.get_by_role("heading", name="Quản lý cơ quan họp")).to_be_visible()
    demo = page.get_by_test_id("committee-row").filter(has_text="Hòa Lâm (dữ liệu mẫu)")
    expect(demo).to_contain_text("Ủy ban nhân dân")
    expect(demo).to_contain_text("Có mặt: ít nhất 2/3 tổng số thành viên")
    check(page, artifacts, f"committees-list-{size}-vi")
    rows_before = page.get_by_test_id("committee-row").count()

    # An empty name is refused in the dialog; nothing is saved.
    page.get_by_test_id("committee-add").click()
    dialog = page.get_by_test_id("committee-dialog")
    dialog.get_by_test_id("committee-save").click()
    expect(dialog.locator(".form-error")).to_have_text("Hãy nhập tên cơ quan (tối đa 300 ký tự).")
    expect(dialog.get_by_test_id("committee-name")).to_be_focused()

    # The kind says its rule in words; a quorum below the statute is not offered.
    name = f"Ủy ban nhân dân xã Hòa Thuận (kiểm thử {tag})"
    dialog.get_by_test_id("committee-name").fill(name)
    expect(dialog.get_by_test_id("kind-rule")).to_have_text(
        "Mặc định theo quy định: thông qua khi quá nửa tổng số thành viên tán thành; "
        "chỉ biểu quyết khi có mặt ít nhất 2/3 tổng số thành viên."
    )
    expect(dialog.get_by_test_id("kind-basis")).to_contain_text("Điều 114 khoản 3")
    quorum = dialog.get_by_test_id("committee-quorum")
    expect(quorum.locator("option[value=moreThanHalf]")).to_be_disabled()
    expect(quorum.locator("option[value=moreThanHalf]")).to_contain_text("thấp hơn mức luật định")
    expect(quorum.locator("option[value=count]")).to_be_disabled()
    dialog.get_by_test_id("committee-kind").select_option("other")
    expect(dialog.get_by_test_id("kind-rule")).to_contain_text("có mặt quá nửa tổng số thành viên")
    expect(quorum.locator("option[value=moreThanHalf]")).to_be_enabled()
    quorum.select_option("count")
    dialog.get_by_test_id("committee-quorum-count").fill("5")
    expect(dialog.get_by_test_id("applied-rule")).to_contain_text("có mặt ít nhất 5 thành viên")
    dialog.get_by_test_id("committee-kind").select_option("peoples_committee")
    expect(quorum).to_have_value("default")  # a fixed count is below this kind's statute
    expect(dialog.get_by_test_id("committee-quorum-count")).to_be_hidden()
    quorum.select_option("threeQuarters")
    expect(dialog.get_by_test_id("applied-rule")).to_have_text(
        "Áp dụng cho các biểu quyết từ nay: thông qua khi quá nửa tổng số thành viên tán thành; "
        "chỉ biểu quyết khi có mặt ít nhất 3/4 tổng số thành viên."
    )
    check(page, artifacts, f"committee-general-{size}-vi")

    # Members, picked with their titles (diacritics optional in the search).
    dialog.get_by_test_id("committee-tab-members").click()
    picker = dialog.get_by_test_id("member-picker")
    for username in people:
        person = picker.locator(f"[data-testid=member-row][data-username={username}]")
        expect(person).to_contain_text("UBND xã Hòa Thuận")
        person.get_by_test_id("member-check").check()
    dialog.get_by_test_id("member-search").fill("le quang duc")
    expect(picker.locator("[data-testid=member-row]:visible")).to_have_count(1)
    picker.locator("[data-username=member1]").get_by_test_id("member-check").check()
    dialog.get_by_test_id("member-search").fill("")
    dialog.get_by_test_id("members-only-chosen").check()
    expect(picker.locator("[data-testid=member-row]:visible")).to_have_count(3)
    expect(dialog.get_by_test_id("members-count")).to_have_text("Đã chọn 3 người")
    expect(picker).to_contain_text("Phó Chủ tịch UBND xã")
    check(page, artifacts, f"committee-members-{size}-vi")

    # The minutes profile: the preview follows what is typed.
    dialog.get_by_test_id("committee-tab-minutes").click()
    frame = preview(page)
    expect(frame.locator(".number")).to_have_text("Số: …/BB-UBND")  # the code from the name
    expect(frame.locator(".dateline")).to_contain_text("Hòa Thuận, ngày")  # the place too
    expect(frame.locator(".agency").first).to_have_text("Ủy ban nhân dân")
    expect(frame.locator(".agency").nth(1)).to_have_text("xã Hòa Thuận")  # split before its unit
    expect(frame.locator(".agency").nth(2)).to_have_text(f"(kiểm thử {tag})")
    expect(frame.locator(".superior")).to_have_count(0)
    dialog.get_by_test_id("profile-superior_body").fill("Ủy ban nhân dân huyện Hòa Vang")
    expect(preview(page).locator(".superior")).to_have_text(["Ủy ban nhân dân", "huyện Hòa Vang"])
    dialog.get_by_test_id("profile-place").fill("Thôn Phước Thuận")
    expect(preview(page).locator(".dateline")).to_contain_text("Thôn Phước Thuận, ngày")
    dialog.get_by_test_id("profile-abbreviation").fill("BB-UBND-HT")
    expect(preview(page).locator(".number")).to_have_text("Số: …/BB-UBND-HT")
    dialog.get_by_test_id("profile-layout").select_option("party")
    expect(preview(page).locator(".nation")).to_have_text("ĐẢNG CỘNG SẢN VIỆT NAM")
    dialog.get_by_test_id("profile-layout").select_option("state")
    expect(preview(page).locator(".nation")).to_have_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    expect(preview(page).locator(".motto")).to_have_text("Độc lập - Tự do - Hạnh phúc")
    dialog.get_by_test_id("profile-recipients").fill(
        "Thường trực Đảng ủy xã\n\nThường trực HĐND xã\n"
    )
    check(page, artifacts, f"committee-profile-{size}-vi")

    dialog.get_by_test_id("committee-save").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("committee-row")).to_have_count(rows_before + 1)
    created = page.get_by_test_id("committee-row").filter(has_text=name)
    expect(created).to_contain_text("3 thành viên")
    expect(created).to_contain_text("Có mặt: ít nhất 3/4 tổng số thành viên")
    expect(created).to_contain_text("mẫu hành chính")

    with admin_client(base_url) as http:
        saved = _committee(http, name)
    assert saved["kind"] == "peoples_committee"
    assert saved["quorum"] == {"kind": "fraction", "fraction": [3, 4], "strict": False}
    assert {m["username"] for m in saved["members"]} == {*people, "member1"}
    assert saved["profile"] == {
        "layout": "state",
        "superior_body": "Ủy ban nhân dân huyện Hòa Vang",
        "official_name": "",
        "abbreviation": "BB-UBND-HT",
        "place": "Thôn Phước Thuận",
        "chair_on_behalf": "",
        "recipients": ["Thường trực Đảng ủy xã", "Thường trực HĐND xã"],
    }

    # Opened again, the dialog shows what was saved.
    created.get_by_test_id("committee-edit").click()
    dialog = page.get_by_test_id("committee-dialog")
    expect(dialog.get_by_test_id("committee-quorum")).to_have_value("threeQuarters")
    dialog.get_by_test_id("committee-tab-members").click()
    expect(dialog.locator("[data-testid=member-row].is-chosen")).to_have_count(3)
    dialog.get_by_test_id("committee-tab-minutes").click()
    expect(preview(page).locator(".dateline")).to_contain_text("Thôn Phước Thuận, ngày")
    dialog.get_by_test_id("committee-cancel").click()
    expect(dialog).to_be_hidden()


def test_a_committees_clerk_edits_its_minutes_profile_only(
    new_context: NewContext, base_url: str, artifacts: Path
) -> None:
    tag = secrets.token_hex(2)
    username, password = f"tk{tag}", "mật-khẩu-thư-ký-2026"
    name = f"Hội đồng nhân dân xã Hòa Thuận (kiểm thử {tag})"
    with admin_client(base_url) as http:
        users = {u["username"]: u["id"] for u in http.get("/api/users").json()["users"]}
        clerk = http.post(
            "/api/users",
            json={
                "username": username,
                "display_name": "Trần Thị Thu Hằng",
                "password": password,
                "title": "Chuyên viên Văn phòng",
            },
        ).json()["user"]
        committee = http.post(
            "/api/committees",
            json={
                "name": name,
                "kind": "peoples_council",
                "member_ids": [users["chair"], users["member1"]],
            },
        ).json()["committee"]
        meeting = http.post(
            "/api/meetings",
            json={
                "committee_id": committee["id"],
                "title": "Kỳ họp chuyên đề",
                "scheduled_at": "2026-12-20T08:00:00+07:00",
                "roster": [
                    {"user_id": users["chair"], "role": "chair"},
                    {"user_id": clerk["id"], "role": "clerk"},
                    {"user_id": users["member1"], "role": "member"},
                ],
            },
        )
        assert meeting.status_code == 201, meeting.text

    context = new_context(viewport=VIEWPORTS["1024x768"])
    sign_in_as(new_context=lambda: context, username=username, password=password)
    page = context.pages[-1]
    expect(page.get_by_test_id("nav-committees")).to_be_visible()
    expect(page.get_by_test_id("nav-people")).to_be_hidden()
    page.get_by_test_id("nav-committees").click()
    expect(page.get_by_test_id("committee-add")).to_be_hidden()
    expect(page.get_by_test_id("committee-row")).to_have_count(1)
    row = page.get_by_test_id("committee-row")
    expect(row).to_contain_text(name)
    expect(row).to_contain_text("Thư ký: Trần Thị Thu Hằng")
    check(page, artifacts, "committees-clerk-list-1024x768-vi")
    row.get_by_test_id("committee-edit").click()
    dialog = page.get_by_test_id("committee-dialog")
    expect(dialog.get_by_test_id("committee-panel-minutes")).to_be_visible()
    expect(preview(page).locator(".number")).to_have_text("Số: …/BB-HĐND")
    dialog.get_by_test_id("profile-chair_on_behalf").fill("T/M THƯỜNG TRỰC HĐND")
    dialog.get_by_test_id("profile-place").fill("Hòa Thuận")
    expect(preview(page).locator(".dateline")).to_contain_text("Hòa Thuận, ngày")
    check(page, artifacts, "committee-clerk-profile-1024x768-vi")
    dialog.get_by_test_id("committee-tab-general").click()
    expect(dialog.get_by_test_id("committee-name")).to_be_disabled()
    expect(dialog.get_by_test_id("committee-kind")).to_be_disabled()
    dialog.get_by_test_id("committee-tab-members").click()
    expect(dialog.get_by_test_id("committee-clerks")).to_have_text("Trần Thị Thu Hằng")
    dialog.get_by_test_id("committee-save").click()
    expect(dialog).to_be_hidden()
    with httpx.Client(base_url=base_url) as http:
        http.post("/api/login", json={"username": "admin", "password": DEMO_PASSWORD})
        saved = http.get(f"/api/committees/{committee['id']}").json()["committee"]
    assert saved["profile"]["place"] == "Hòa Thuận"
    assert saved["profile"]["chair_on_behalf"] == "T/M THƯỜNG TRỰC HĐND"
    assert saved["name"] == name and saved["kind"] == "peoples_council"


def test_the_profile_and_its_preview_fit_a_portrait_tablet(
    new_context: NewContext, artifacts: Path
) -> None:
    page = sign_in(new_context(viewport=PORTRAIT), "admin")
    page.get_by_test_id("nav-committees").click()
    page.get_by_test_id("committee-row").filter(has_text="Hòa Lâm (dữ liệu mẫu)").get_by_test_id(
        "committee-edit"
    ).click()
    dialog = page.get_by_test_id("committee-dialog")
    dialog.get_by_test_id("committee-tab-minutes").click()
    expect(preview(page).locator(".dateline")).to_contain_text("Hòa Lâm, ngày")
    check(page, artifacts, "committee-profile-portrait-vi")
    dialog.get_by_test_id("committee-tab-members").click()
    check(page, artifacts, "committee-members-portrait-vi")
    dialog.get_by_test_id("committee-cancel").click()


def test_the_committees_screen_in_english(new_context: NewContext, artifacts: Path) -> None:
    page = sign_in(new_context(viewport=VIEWPORTS["1280x800"]), "admin")
    page.locator("button.lang-button[data-lang=en]").click()
    page.get_by_test_id("nav-committees").click()
    expect(page.get_by_role("heading", name="Committees")).to_be_visible()
    demo = page.get_by_test_id("committee-row").filter(has_text="Hòa Lâm (dữ liệu mẫu)")
    expect(demo).to_contain_text("People's Committee")
    expect(demo).to_contain_text("Quorum: at least 2/3 of all members")
    check(page, artifacts, "committees-list-1280x800-en")
    demo.get_by_test_id("committee-edit").click()
    dialog = page.get_by_test_id("committee-dialog")
    expect(dialog.get_by_test_id("kind-rule")).to_have_text(
        "By default: adopted when more than half of all members vote in favour; "
        "votes only with at least 2/3 of all members present."
    )
    check(page, artifacts, "committee-general-1280x800-en")
    dialog.get_by_test_id("committee-tab-minutes").click()
    dialog.get_by_test_id("profile-layout").select_option("en")
    expect(preview(page).locator(".en-head")).to_be_visible()
    expect(preview(page).locator("h1")).to_have_text("MINUTES")
    check(page, artifacts, "committee-profile-1280x800-en")
    dialog.get_by_test_id("committee-cancel").click()
