"""Live updates across a restore: the page in headless Chromium against the real server while
another process runs `workbook restore` into the database it serves. Fixtures from conftest.py.
"""
import subprocess

from conftest import binary
from test_web import open_page, value, wait
from test_web_features import prompt_of


def workbook(*args):
    """Runs the real binary (another process, like a person at a terminal); fails on a non-zero exit."""
    done = subprocess.run([binary(), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done


def test_restoring_a_backup_under_an_open_page_shows_the_restored_answer_and_stays_live(server, browser_factory, tmp_path):
    # Given an open page whose answer was saved, backed up, then changed again
    page = browser_factory()
    open_page(page, server.url)
    prompt = prompt_of(page)
    database = str(server.dir / "db.sqlite")
    before = server.call("server.info")["databaseId"]
    server.call("answers.save", {"promptId": prompt, "text": "in the backup"})
    wait(page, lambda: value(page, "answer") == "in the backup", message="the save did not arrive live")
    backup = str(tmp_path / "backup.sqlite")
    workbook("backup", backup, "--database", database)
    server.call("answers.save", {"promptId": prompt, "text": "after the backup"})
    wait(page, lambda: value(page, "answer") == "after the backup", message="the second save did not arrive live")

    # When another process restores the backup into the served database
    workbook("restore", backup, "--database", database)

    # Then the page shows the restored answer, from a database with another id
    wait(page, lambda: value(page, "answer") == "in the backup", message="the page did not reload after the restore")
    assert server.call("server.info")["databaseId"] != before
    # And it still receives live changes, made in the restored database
    server.call("answers.save", {"promptId": prompt, "text": "live after the restore"})
    wait(page, lambda: value(page, "answer") == "live after the restore",
         message="no live change after the restore (resubscribed with the old cursor?)")
    assert page.find_element("id", "live-note").get_property("hidden") is True
    errors = [entry for entry in page.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == [], errors
