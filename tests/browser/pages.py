"""What a person does on a page, said once: sign in, follow a link, choose from an autocomplete,
press a step's button, read the messages; and a screenshot of what they see."""

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, expect

from governance.demo import DEMO_PASSWORD


@dataclass
class Album:
    folder: Path
    taken: list[Path] = field(default_factory=list)

    def path(self, username: str, name: str) -> Path:
        path = self.folder / f"{len(self.taken) + 1:02d}-{username}-{name}.png"
        self.taken.append(path)
        return path


@dataclass
class Desk:
    page: Page
    base_url: str
    album: Album
    username: str

    def sign_in(self) -> None:
        self.page.goto(f"{self.base_url}/admin/login/?next=/admin/")
        self.page.fill("#id_username", self.username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.click("input[type=submit]")
        expect(self.page.locator("#user-tools")).to_be_visible()

    def home(self) -> None:
        self.page.click("#site-name a")

    def follow(self, text: str, *, within: str = "#content") -> None:
        """Click the link whose text is ``text`` (exactly, else the first containing it)."""
        links = self.page.locator(within).get_by_role("link", name=text, exact=True)
        if links.count() == 0:
            links = self.page.locator(within).get_by_role("link", name=text)
        links.first.click()

    def follow_in_list(self, text: str) -> None:
        """Open the first row of a change list showing ``text``, by the row's link."""
        row = self.page.locator("#result_list tbody tr", has_text=text).first
        row.get_by_role("link").first.click()

    def step(self, label: str) -> None:
        """Press a button of the record's steps panel (one that posts, or one that opens the step's page)."""
        panel = self.page.locator("#workflow-steps")
        expect(panel).to_be_visible()
        panel.locator(".workflow-step", has_text=label).first.click()

    def steps(self) -> list[str]:
        return [text.strip() for text in self.page.locator("#workflow-steps .workflow-step").all_inner_texts()]

    def submit(self) -> None:
        """The page's main submit button (a step's page, an add form)."""
        self.page.locator("#content-main .submit-row input[type=submit]").first.click()

    def choose(self, select_id: str, text: str) -> None:
        """Pick ``text`` in an admin autocomplete (select2) by typing it, as a person does."""
        self.page.locator(f"#{select_id} + .select2").click()
        search = self.page.locator(".select2-container--open .select2-search__field")
        search.fill(text)
        option = self.page.locator(".select2-results__option", has_text=text).first
        expect(option).to_be_visible()
        option.click()

    def download(self, click) -> str:
        """Save the file that ``click()`` downloads into this test's album; its path."""
        with self.page.expect_download() as info:
            click()
        path = self.album.folder / info.value.suggested_filename
        info.value.save_as(path)
        return str(path)

    def messages(self) -> list[str]:
        return [text.strip() for text in self.page.locator("ul.messagelist li").all_inner_texts()]

    def expect_message(self, text: str) -> None:
        """Wait for the next page's message (success, warning or refusal) containing ``text``."""
        expect(self.page.locator("ul.messagelist")).to_contain_text(text)

    def field_value(self, label: str) -> str:
        """A read-only field's shown value on a change page, found by its label."""
        row = self.page.locator(".form-row", has=self.page.locator("label", has_text=label)).first
        return row.locator(".readonly").inner_text().strip()

    def shot(self, name: str) -> Path:
        path = self.album.path(self.username, name)
        self.page.screenshot(path=path, full_page=True)
        return path
