"""More of the page in headless Chromium against the real server: Markdown download, passes,
restoring a revision, the conflict's "use the saved version", keyboard-only use and accessible
names, a phone-sized window. Helpers come from test_web.py; fixtures from conftest.py.
"""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import Select

from test_web import open_page, save_state, value, wait


def prompt_of(page):
    return page.current_url.split("#prompt=")[1]


def type_and_save(page, text, clear=False):
    """Types into the answer box and waits for the debounced draft save."""
    box = page.find_element(By.ID, "answer")
    if clear:
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.DELETE)
    box.send_keys(text)
    wait(page, lambda: save_state(page) == "saved" and value(page, "answer") == text, message="draft was not saved")


def test_markdown_download_is_this_pass_as_the_server_exports_it(server, browser_factory, tmp_path):
    page = browser_factory(downloads=tmp_path)
    open_page(page, server.url)
    type_and_save(page, "Markdown keeps *my* words.")
    heading = page.find_element(By.ID, "prompt-heading").text

    page.find_element(By.ID, "export-markdown").click()
    wait(page, lambda: any(p.suffix == ".md" for p in tmp_path.iterdir()), message="no Markdown download")
    downloaded = next(p for p in tmp_path.iterdir() if p.suffix == ".md")
    assert downloaded.name.startswith("solidarity-") and downloaded.name.endswith(".md")
    text = downloaded.read_text(encoding="utf-8")
    assert "Markdown keeps *my* words." in text
    assert heading in text
    expected = server.call("export", {"workbookId": "solidarity", "format": "markdown"})["content"]
    assert text == expected


def test_switching_passes_shows_each_pass_own_answer(server, browser_factory):
    page = browser_factory()
    open_page(page, server.url)
    prompt_id = prompt_of(page)
    type_and_save(page, "Words of the first pass.")
    first_pass = server.call("answers.get", {"promptId": prompt_id})["passId"]

    # Given a second pass with its own answer to the same prompt
    page.find_element(By.ID, "new-pass").click()
    page.find_element(By.ID, "pass-title").send_keys("Second look\n")
    wait(page, lambda: len(page.find_elements(By.CSS_SELECTOR, "#pass-select option")) == 2)
    page.get(f"{server.base}/#prompt={prompt_id}")
    open_page(page, page.current_url)
    assert value(page, "answer") == ""
    type_and_save(page, "Words of the second pass.")
    passes = {p["title"]: p["id"] for p in server.call("passes.list", {"workbookId": "solidarity"}) if p.get("title")}
    second_pass = passes["Second look"]
    assert server.call("answers.get", {"promptId": prompt_id, "passId": second_pass})["text"] == "Words of the second pass."
    assert server.call("answers.get", {"promptId": prompt_id, "passId": first_pass})["text"] == "Words of the first pass."

    # When switching back and forth, then the box shows each pass's own answer
    select = Select(page.find_element(By.ID, "pass-select"))
    select.select_by_value(first_pass)
    wait(page, lambda: value(page, "answer") == "Words of the first pass.", message="first pass not shown")
    assert prompt_of(page) == prompt_id
    select.select_by_value(second_pass)
    wait(page, lambda: value(page, "answer") == "Words of the second pass.", message="second pass not shown")
    # And writing after the switch goes to the chosen pass only
    select.select_by_value(first_pass)
    wait(page, lambda: value(page, "answer") == "Words of the first pass.")
    type_and_save(page, "Words of the first pass, revised.", clear=True)
    assert server.call("answers.get", {"promptId": prompt_id, "passId": first_pass})["text"] == "Words of the first pass, revised."
    assert server.call("answers.get", {"promptId": prompt_id, "passId": second_pass})["text"] == "Words of the second pass."


def test_restoring_an_old_revision_from_the_history_dialog(server, browser_factory):
    page = browser_factory()
    open_page(page, server.url)
    prompt_id = prompt_of(page)
    type_and_save(page, "Version one.")
    type_and_save(page, "Version two.", clear=True)

    page.find_element(By.ID, "history-button").click()
    dialog = page.find_element(By.ID, "history-dialog")
    wait(page, lambda: dialog.get_attribute("open") is not None, message="no history dialog")
    restore = page.find_element(By.XPATH, "//dialog[@id='history-dialog']//button[text()='Restore revision 1']")
    assert page.find_elements(By.XPATH, "//dialog[@id='history-dialog']//button[text()='Restore revision 2']") == [], \
        "the current revision offers no restore"
    restore.click()
    wait(page, lambda: dialog.get_attribute("open") is None, message="history dialog stayed open")
    wait(page, lambda: value(page, "answer") == "Version one." and save_state(page) == "saved", message="not restored")

    history = server.call("answers.history", {"promptId": prompt_id})
    assert [(r["revision"], r["text"]) for r in history] == [(1, "Version one."), (2, "Version two."), (3, "Version one.")]
    assert server.call("answers.get", {"promptId": prompt_id})["revision"] == 3
    # And the dialog now lists the restore as the newest revision
    page.find_element(By.ID, "history-button").click()
    wait(page, lambda: dialog.get_attribute("open") is not None)
    items = page.find_elements(By.CSS_SELECTOR, "#history-list > li")
    assert len(items) == 3 and items[0].text.startswith("Revision 3") and "Version one." in items[0].text


def test_conflict_take_theirs_shows_the_saved_version_and_keeps_writing(server, browser_factory):
    page = browser_factory()
    open_page(page, server.url)
    prompt_id = prompt_of(page)
    type_and_save(page, "My first thought.")
    page.find_element(By.ID, "answer").send_keys(" Unsaved addition.")
    server.call("answers.save", {"promptId": prompt_id, "text": "Written in the terminal.", "expectedRevision": 1})
    dialog = page.find_element(By.ID, "conflict-dialog")
    wait(page, lambda: dialog.get_attribute("open") is not None, message="no conflict dialog")

    # When choosing the saved version, then the box shows it and nothing is written
    page.find_element(By.ID, "take-theirs").click()
    wait(page, lambda: dialog.get_attribute("open") is None)
    assert value(page, "answer") == "Written in the terminal."
    assert save_state(page) == "saved"
    answer = server.call("answers.get", {"promptId": prompt_id})
    assert (answer["text"], answer["revision"]) == ("Written in the terminal.", 2)
    # And the next edit builds on it without another conflict
    page.find_element(By.ID, "answer").send_keys(" Agreed.")
    wait(page, lambda: save_state(page) == "saved" and value(page, "answer") == "Written in the terminal. Agreed.")
    answer = server.call("answers.get", {"promptId": prompt_id})
    assert (answer["text"], answer["revision"]) == ("Written in the terminal. Agreed.", 3)
    assert dialog.get_attribute("open") is None


NAMELESS = """
    const name = (el) => {
      const by = (ids) => ids.split(/\\s+/).map((id) => document.getElementById(id)?.textContent || "").join(" ");
      return (el.getAttribute("aria-label") || "").trim()
        || (el.getAttribute("aria-labelledby") ? by(el.getAttribute("aria-labelledby")).trim() : "")
        || [...(el.labels || [])].map((l) => l.textContent).join(" ").trim()
        || (el.tagName === "BUTTON" ? el.textContent.trim() : "")
        || (el.getAttribute("title") || "").trim();
    };
    return [...document.querySelectorAll("input, textarea, button, select")]
      .filter((el) => el.type !== "hidden" && !name(el))
      .map((el) => el.outerHTML.slice(0, 120));
"""


def focused_id(page):
    return page.execute_script("return document.activeElement && (document.activeElement.id || document.activeElement.tagName)")


def test_keyboard_alone_reaches_the_answer_and_the_main_actions(server, browser_factory):
    page = browser_factory()
    open_page(page, server.url)
    prompt_id = prompt_of(page)
    page.execute_script("document.activeElement.blur()")

    # Tab through the page from the top: the answer box and every main action come up
    reached = []
    keys = ActionChains(page)
    for _ in range(80):
        keys.send_keys(Keys.TAB).perform()
        reached.append(focused_id(page))
    wanted = {"answer", "done", "skip", "history-button", "next", "pass-select", "new-pass",
              "search-input", "export-markdown", "export-json"}
    assert wanted <= set(reached), f"not reached by Tab: {wanted - set(reached)}"

    # Write and mark done with the keyboard only
    page.execute_script("document.activeElement.blur()")
    for _ in range(80):
        keys.send_keys(Keys.TAB).perform()
        if focused_id(page) == "answer":
            break
    assert focused_id(page) == "answer"
    keys.send_keys("Typed without a mouse.").perform()
    keys.key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    wait(page, lambda: "Marked done" in page.find_element(By.ID, "save-state").text, message="Ctrl+Enter did not mark done")
    answer = server.call("answers.get", {"promptId": prompt_id})
    assert (answer["text"], answer["status"]) == ("Typed without a mouse.", "final")

    # Every control has an accessible name: in the markup, and as Chromium computes it when shown
    assert page.execute_script(NAMELESS) == []
    shown = [el for el in page.find_elements(By.CSS_SELECTOR, "input, textarea, button, select") if el.is_displayed()]
    assert shown
    unnamed = [el.get_attribute("outerHTML")[:120] for el in shown if not el.accessible_name.strip()]
    assert unnamed == [], unnamed


def test_phone_sized_window_has_no_horizontal_overflow(server, browser_factory, artifacts):
    server.call("answers.save", {"promptId": "solidarity-means",
                                 "text": "A long unbroken word: " + "solidarity" * 12, "status": "final"})
    phone = browser_factory(375, 812)
    open_page(phone, server.url)
    assert phone.execute_script("return [innerWidth, innerHeight]") == [375, 812]
    overflow = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    scroll, client = phone.execute_script(overflow)
    assert scroll <= client, f"page is {scroll}px wide in a {client}px window"
    # Search results and the history dialog fit as well
    phone.find_element(By.ID, "search-input").send_keys("solidarity\n")
    wait(phone, lambda: phone.find_element(By.ID, "search-results").is_displayed())
    scroll, client = phone.execute_script(overflow)
    assert scroll <= client, f"with search results the page is {scroll}px wide in a {client}px window"
    phone.get(f"{server.base}/#prompt=solidarity-means")
    open_page(phone, phone.current_url)
    scroll, client = phone.execute_script(overflow)
    assert scroll <= client, f"with a long answer the page is {scroll}px wide in a {client}px window"
    phone.save_screenshot(str(artifacts / "web-phone-answer.png"))
    assert (artifacts / "web-phone-answer.png").stat().st_size > 0


def test_earlier_answers_show_the_newest_page_and_say_when_older_ones_are_not_shown(server, browser_factory):
    # Given 11 passes answering the first prompt, then a newer pass (each started a moment apart)
    prompt_id = server.call("prompts.next", {"workbookId": "solidarity"})["prompt"]["id"]
    for n in range(11):
        started = server.call("passes.start", {"workbookId": "solidarity"})
        server.call("answers.save", {"promptId": prompt_id, "text": f"Answer number {n}.", "passId": started["id"]})
        time.sleep(0.005)
    server.call("passes.start", {"workbookId": "solidarity", "title": "Newest"})
    page = browser_factory()
    open_page(page, f"{server.url}#prompt={prompt_id}")
    # When the earlier answers are opened
    page.find_element(By.ID, "earlier-summary").click()
    listed = page.find_element(By.ID, "earlier-list")
    # Then the newest ten are shown, newest first, with a note that older ones are not
    quotes = [q.text for q in listed.find_elements(By.CSS_SELECTOR, "blockquote")]
    assert quotes == [f"Answer number {n}." for n in range(10, 0, -1)]
    assert listed.find_element(By.CSS_SELECTOR, ".earlier-more").text == "Older answers not shown."
