"""The web page in headless Chromium against the real server (see conftest.py for the fixtures).

Given a fresh database, when a person answers in one browser, then the answer survives a reload,
a second browser sees it without reloading, progress matches `progress.get`, conflicts are shown
with both versions, and nothing outside this server's own pages (or without the token) gets in.
"""
import http.client
import http.server
import threading

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

TEXT = "Solidarity starts with listening: who is missing from the room, and why?\nSecond line, ünïcode ✓."


def wait(driver, condition, timeout=20, message=""):
    return WebDriverWait(driver, timeout).until(lambda d: condition(), message)


def value(driver, element_id):
    return driver.find_element(By.ID, element_id).get_property("value")


def save_state(driver):
    return driver.find_element(By.ID, "save-state").get_attribute("data-state")


def open_page(driver, url):
    driver.get(url)
    wait(driver, lambda: driver.find_element(By.ID, "prompt-heading").text.strip() != "", message="page did not load")
    wait(driver, lambda: save_state(driver) in ("idle", "saved"), message="answer did not load")


def progress_numbers(driver):
    box = driver.find_element(By.ID, "progress")
    return {key: int(box.get_attribute(f"data-{key}")) for key in ("total", "answered", "drafts", "skipped", "percent")}


def test_answer_reload_second_browser_and_progress(server, browser_factory, artifacts):
    first, second = browser_factory(), browser_factory()
    open_page(first, server.url)
    open_page(second, server.url)
    assert first.current_url.split("#")[1] == second.current_url.split("#")[1], "both start at the first open prompt"

    first.find_element(By.ID, "answer").send_keys(TEXT)
    wait(first, lambda: save_state(first) == "saved", message="draft was not autosaved")
    wait(second, lambda: value(second, "answer") == TEXT, message="second browser did not see the save live")

    first.refresh()
    open_page(first, first.current_url)
    assert value(first, "answer") == TEXT

    first.find_element(By.ID, "done").click()
    wait(first, lambda: "Marked done" in first.find_element(By.ID, "save-state").text)
    expected = server.call("progress.get", {"workbookId": "solidarity"})
    assert expected["answered"] == 1
    for driver in (first, second):
        wait(driver, lambda: progress_numbers(driver) == {k: expected[k] for k in progress_numbers(driver)},
             message="progress on the page differs from progress.get")
    for section in expected["sections"]:
        shown = first.find_element(By.CSS_SELECTOR, f'[data-section-id="{section["id"]}"]').text
        assert shown == f'{section["answered"]}/{section["total"]}'

    first.execute_script("window.scrollTo(0, 0)")
    first.save_screenshot(str(artifacts / "web.png"))
    phone = browser_factory(375, 812)
    open_page(phone, server.url)
    phone.save_screenshot(str(artifacts / "web-phone.png"))
    for name in ("web.png", "web-phone.png"):
        shot = (artifacts / name).read_bytes()
        assert len(shot) > 1000 and shot.startswith(b"\x89PNG\r\n\x1a\n"), f"{name} is not a screenshot"


def test_conflict_shows_both_versions_and_keeps_the_choice(server, browser_factory):
    page = browser_factory()
    open_page(page, server.url)
    prompt_id = page.current_url.split("#prompt=")[1]
    page.find_element(By.ID, "answer").send_keys("My first thought.")
    wait(page, lambda: save_state(page) == "saved")

    # Given unsaved typing in the page, when another client saves first, then the page asks.
    page.find_element(By.ID, "answer").send_keys(" And a second one.")
    server.call("answers.save", {"promptId": prompt_id, "text": "Written in the terminal.", "expectedRevision": 1})
    dialog = page.find_element(By.ID, "conflict-dialog")
    wait(page, lambda: dialog.get_attribute("open") is not None, message="no conflict dialog")
    assert page.find_element(By.ID, "conflict-mine").text == "My first thought. And a second one."
    assert page.find_element(By.ID, "conflict-theirs").text == "Written in the terminal."

    page.find_element(By.ID, "keep-mine").click()
    wait(page, lambda: save_state(page) == "saved")
    answer = server.call("answers.get", {"promptId": prompt_id})
    assert (answer["text"], answer["revision"]) == ("My first thought. And a second one.", 3)
    history = server.call("answers.history", {"promptId": prompt_id})
    assert [r["text"] for r in history][1] == "Written in the terminal.", "the other version stays in history"


def test_reconnect_catches_up(server, browser_factory):
    page = browser_factory()
    open_page(page, server.url)
    prompt_id = page.current_url.split("#prompt=")[1]
    # When the connection drops and a change happens meanwhile, then the page says so and catches up.
    page.execute_script("window.workbook.rpc.socket.close()")
    status = page.find_element(By.ID, "connection")
    wait(page, lambda: status.get_attribute("data-state") == "offline", message="no offline state")
    server.call("answers.save", {"promptId": prompt_id, "text": "Saved while the page was away."})
    wait(page, lambda: status.get_attribute("data-state") == "online", message="did not reconnect")
    wait(page, lambda: value(page, "answer") == "Saved while the page was away.", message="no catch-up")


def request(server, path, headers=None, method="GET"):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    all_headers = {"Host": f"127.0.0.1:{server.port}"}
    all_headers.update(headers or {})
    connection.request(method, path, headers=all_headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


UPGRADE = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def test_refusals_without_token_foreign_origin_or_host(server):
    token = f"/?token={server.token}"
    assert request(server, "/").status == 401
    assert request(server, "/app.js").status == 401
    assert request(server, "/?token=0000").status == 401
    assert request(server, token, {"Origin": "http://evil.example"}).status == 403
    assert request(server, token, {"Host": f"evil.example:{server.port}"}).status == 403
    assert request(server, "/rpc", UPGRADE).status == 401
    assert request(server, f"/rpc?token={server.token}", {**UPGRADE, "Origin": "http://evil.example"}).status == 403
    assert request(server, f"/rpc?token={server.token}", {**UPGRADE, "Host": f"rebind.example:{server.port}"}).status == 403
    assert request(server, f"/rpc?token={server.token}", UPGRADE).status == 101

    # The token is traded for a cookie and kept out of the address bar.
    traded = request(server, token)
    assert traded.status == 303 and traded.getheader("Location") == "/"
    cookie = traded.getheader("Set-Cookie")
    assert {"HttpOnly", "SameSite=Strict", "Path=/"} <= {part.strip() for part in cookie.split(";")}
    page = request(server, "/", {"Cookie": cookie.split(";")[0]})
    assert page.status == 200 and "frame-ancestors 'none'" in page.getheader("Content-Security-Policy")
    assert server.token not in "".join(server.stderr).replace(server.url, ""), "token only in the ready line"


def test_browser_without_token_and_foreign_page_are_refused(server, browser_factory):
    stranger = browser_factory()
    stranger.get(server.base + "/")
    assert "401" in stranger.find_element(By.TAG_NAME, "body").text

    # A page of another origin on the same machine (same site, so the cookie would travel) cannot
    # open the WebSocket, even in a browser that holds the cookie.
    page = browser_factory()
    open_page(page, server.url)
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        page.get(f"http://127.0.0.1:{other.server_address[1]}/")
        probe = """
            const done = arguments[arguments.length - 1];
            const ws = new WebSocket(arguments[0]);
            ws.onopen = () => done("open");
            ws.onerror = () => done("refused");
        """
        assert page.execute_async_script(probe, f"ws://127.0.0.1:{server.port}/rpc") == "refused"
        assert page.execute_async_script(probe, f"ws://127.0.0.1:{server.port}/rpc?token={server.token}") == "refused"
        page.get(server.base + "/")
        assert page.execute_async_script(probe, f"ws://127.0.0.1:{server.port}/rpc") == "open"
    finally:
        other.shutdown()


def test_search_history_skip_passes_and_export(server, browser_factory, tmp_path):
    page = browser_factory(downloads=tmp_path)
    open_page(page, server.url)
    first_prompt = page.current_url.split("#prompt=")[1]
    page.find_element(By.ID, "answer").send_keys("Listening deeply to <people> & places.")
    wait(page, lambda: save_state(page) == "saved")

    # Search highlights the match; markup in answers stays text.
    page.find_element(By.ID, "search-input").send_keys("listening\n")
    wait(page, lambda: page.find_element(By.ID, "search-results").is_displayed())
    marks = page.find_elements(By.CSS_SELECTOR, "#results-list mark")
    assert marks and marks[0].text.lower() == "listening"
    assert "<people>" in page.find_element(By.ID, "results-list").text

    page.find_element(By.ID, "history-button").click()
    wait(page, lambda: page.find_element(By.ID, "history-dialog").get_attribute("open") is not None)
    assert "Revision 1" in page.find_element(By.ID, "history-list").text
    page.find_element(By.CSS_SELECTOR, "#history-dialog form button").click()

    page.find_element(By.ID, "skip").click()
    wait(page, lambda: page.current_url.split("#prompt=")[1] != first_prompt, message="skip did not move on")
    wait(page, lambda: progress_numbers(page)["skipped"] == 1)

    # A new pass starts empty, with the earlier answer on request.
    page.find_element(By.ID, "new-pass").click()
    page.find_element(By.ID, "pass-title").send_keys("A year later\n")
    wait(page, lambda: len(page.find_elements(By.CSS_SELECTOR, "#pass-select option")) == 2)
    select = page.find_element(By.ID, "pass-select")
    assert select.find_element(By.CSS_SELECTOR, "option:checked").text == "A year later"
    wait(page, lambda: progress_numbers(page)["skipped"] == 0)
    page.get(f"{server.base}/#prompt={first_prompt}")
    open_page(page, page.current_url)
    assert value(page, "answer") == ""
    page.find_element(By.ID, "earlier-summary").click()
    assert "Listening deeply" in page.find_element(By.ID, "earlier-list").text

    page.find_element(By.ID, "export-json").click()
    wait(page, lambda: any(p.suffix == ".json" for p in tmp_path.iterdir()), message="no JSON download")
    exported = next(p for p in tmp_path.iterdir() if p.suffix == ".json").read_text()
    assert "Listening deeply to <people> & places." in exported
    severe = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == [], severe
