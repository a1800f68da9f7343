// The answer box: debounced draft autosave, "Done", skip, and revision conflicts (1004), which are
// always shown with both versions and a choice, never overwritten silently.

const $ = (id) => document.getElementById(id);
const AUTOSAVE_MS = 800;

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) : "";
}

export class Editor {
  constructor(rpc, state, app) {
    Object.assign(this, { rpc, state, app });
    this.area = $("answer");
    this.promptId = null;
    this.passId = null;
    this.revision = 0;
    this.savedText = "";
    this.status = null;
    this.updatedAt = null;
    this.readOnly = false;
    this.conflict = null;
    this.queue = Promise.resolve();
    this.inFlight = false;
    this.remote = null;
    this.timer = null;

    this.area.addEventListener("input", () => this.changed());
    this.area.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.markDone(); }
      if (e.key === "Escape") { e.preventDefault(); $("prompt-heading").focus(); }
    });
    $("done").addEventListener("click", () => this.markDone());
    $("skip").addEventListener("click", () => this.skip());
    $("keep-mine").addEventListener("click", () => this.resolve(true));
    $("take-theirs").addEventListener("click", () => this.resolve(false));
    $("conflict-dialog").addEventListener("cancel", (e) => e.preventDefault());
    window.addEventListener("beforeunload", (e) => {
      if (this.dirty || this.inFlight) { this.save(); e.preventDefault(); e.returnValue = ""; }
    });
    document.addEventListener("visibilitychange", () => { if (document.hidden) this.flush(); });
  }

  /** True when the box holds text the server does not have. */
  get dirty() {
    return this.promptId !== null && !this.readOnly && this.area.value !== this.savedText;
  }

  /** Shows the answer of a freshly opened prompt view. */
  load(view, readOnly) {
    this.promptId = view.prompt.id;
    this.passId = view.passId;
    this.readOnly = readOnly;
    this.remote = null;
    this.accept(view.answer, true);
    this.area.readOnly = readOnly;
    for (const id of ["done", "skip"]) $(id).disabled = readOnly;
  }

  /** Takes `answer` (or null) as the server's current state. */
  accept(answer, replaceText = false) {
    const keepTyping = !replaceText && this.area.value !== this.savedText;
    this.revision = answer?.revision ?? 0;
    this.savedText = answer?.text ?? "";
    this.status = answer?.status ?? null;
    this.updatedAt = answer?.updatedAt ?? null;
    if (answer?.passId && answer.passId !== this.state.passId && !this.state.passId) this.state.passId = answer.passId;
    if (answer?.passId) this.passId = answer.passId;
    if (!keepTyping) this.area.value = this.savedText;
    this.describe();
  }

  describe() {
    const done = $("done");
    done.textContent = this.status === "final" ? "Done ✓" : "Done";
    done.setAttribute("aria-pressed", String(this.status === "final"));
    if (this.readOnly) return this.setState("readonly", "This pass is closed: the answer is shown as it was.");
    if (this.dirty) return this.setState("pending", "Unsaved changes…");
    const when = time(this.updatedAt);
    const text = {
      final: `Marked done · saved ${when}`,
      draft: `Draft saved ${when}`,
      skipped: `Skipped ${when}. Write here to answer after all.`,
    }[this.status] ?? "Not answered yet. Your words save as a draft while you write.";
    this.setState(this.status ? "saved" : "idle", text);
  }

  setState(kind, text) {
    const el = $("save-state");
    el.dataset.state = kind;
    el.textContent = text;
  }

  changed() {
    if (this.readOnly) return;
    this.describe();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), AUTOSAVE_MS);
  }

  /** Saves now if anything is unsaved, and waits for every save under way. */
  flush() {
    clearTimeout(this.timer);
    if (this.dirty && !this.conflict) this.save();
    return this.queue;
  }

  /** Queues a save of the box's text with `status` (null: a draft, only when changed). */
  save(status = null) {
    const run = () => this.run(status);
    this.queue = this.queue.then(run, run);
    return this.queue;
  }

  async run(status) {
    if (this.conflict || this.readOnly || this.promptId === null) return false;
    const text = this.area.value;
    if (!status && (text === this.savedText || (this.revision === 0 && text.trim() === ""))) return true;
    const params = { promptId: this.promptId, text, status: status || "draft", expectedRevision: this.revision };
    return this.send("answers.save", params, () => this.save(status));
  }

  async send(method, params, retry) {
    if (this.passId) params.passId = this.passId;
    this.setState("saving", "Saving…");
    this.inFlight = true;
    try {
      const result = await this.rpc.call(method, params);
      this.inFlight = false;
      this.accept(result.answer);
      this.app.refreshSoon();
      this.afterSave();
      return true;
    } catch (error) {
      this.inFlight = false;
      this.failed(error, params.text ?? this.area.value, retry);
      return false;
    }
  }

  afterSave() {
    if (this.dirty) this.changed();
    const remote = this.remote;
    this.remote = null;
    if (remote) this.remoteChange(remote);
  }

  failed(error, mine, retry) {
    if (error.code === 1004) return this.showConflict(mine, error.data?.current ?? null, error.data?.currentRevision ?? 0, retry);
    if (error.code === "disconnected") return this.setState("offline", "Not saved yet: waiting for the server. Your text stays here.");
    if (error.code === 1007) { this.readOnly = true; this.area.readOnly = true; return this.describe(); }
    if (error.code === 1005) return this.setState("error", "This answer is longer than the server accepts; shorten it to save.");
    this.app.showError(error);
  }

  async markDone() {
    if (this.readOnly) return;
    clearTimeout(this.timer);
    await this.queue;
    if (await this.save("final")) $("next").disabled ? $("answer").focus() : $("next").focus();
  }

  async skip() {
    if (this.readOnly) return;
    await this.flush();
    if (this.conflict) return;
    const retry = () => this.skip();
    const ok = await this.send("answers.skip", { promptId: this.promptId, expectedRevision: this.revision }, retry);
    if (ok) this.app.step(1);
  }

  // Conflicts ------------------------------------------------------------------------------

  showConflict(mine, current, currentRevision, retry) {
    this.conflict = { current, currentRevision, retry };
    $("conflict-mine").textContent = mine;
    $("conflict-theirs").textContent = current ? current.text : "(The answer was deleted elsewhere.)";
    $("conflict-theirs-meta").textContent = current
      ? `Revision ${current.revision}, ${{ final: "done", draft: "draft", skipped: "skipped" }[current.status] ?? current.status}, saved ${new Date(current.updatedAt).toLocaleString()} by ${current.client}.`
      : "";
    this.setState("conflict", "Changed elsewhere: choose which version to keep.");
    $("conflict-dialog").showModal();
    $("keep-mine").focus();
  }

  resolve(keepMine) {
    const { current, currentRevision, retry } = this.conflict;
    this.conflict = null;
    $("conflict-dialog").close();
    if (keepMine) {
      // Saved deliberately over the other version, which stays in the history.
      this.revision = currentRevision;
      retry();
    } else {
      this.accept(current, true);
      this.revision = currentRevision;
    }
    this.area.focus();
  }

  // Live updates ---------------------------------------------------------------------------

  /** A change to this answer from elsewhere: reload it quietly unless the box has unsaved text. */
  async remoteChange(change) {
    if (change.promptId !== this.promptId || change.passId !== this.passId) return;
    if (change.revision !== undefined && change.revision <= this.revision) return;
    if (this.inFlight) { this.remote = change; return; }
    if (this.dirty || this.conflict) {
      this.setState("remote", "Changed in another window: your next save will ask which version to keep.");
      return;
    }
    const answer = await this.rpc.call("answers.get", { promptId: this.promptId, passId: this.passId });
    if (!this.dirty && !this.inFlight) this.accept(answer, true);
  }

  /** After a reconnect: send what was typed while offline. */
  resume() {
    if (this.dirty) this.save();
    else this.describe();
  }

  offline() {
    if (this.dirty) this.setState("offline", "Not saved yet: waiting for the server. Your text stays here.");
  }
}
