// Live updates: `subscribe` with `since` (catch-up after a reconnect) and `workbook.changed`
// notifications; after `workbook.subscriptionDropped` it resubscribes as the drop's `reason` says.
// A server without `subscribe` gets a quiet note and a slow `changes.list` poll.

const $ = (id) => document.getElementById(id);
const POLL_MS = 4000;

export function installLive(rpc, state, app) {
  let cursor = null;
  let pollTimer = null;

  function note(text) {
    $("live-note").hidden = !text;
    $("live-note").textContent = text || "";
  }

  function apply(change) {
    if (typeof change.cursor === "number" && (cursor === null || change.cursor > cursor)) cursor = change.cursor;
    if (change.workbookId !== state.workbookId && change.type !== "data.erased") return;
    app.refreshSoon();
    if (change.type === "data.erased" || (change.type === "pass.deleted" && change.passId === state.passId)) {
      app.reloadView();
      return;
    }
    app.editor.remoteChange(change).catch(() => {});
  }

  /** Subscribes (with `since` when resuming the same database); falls back to polling. */
  async function start(resume) {
    clearTimeout(pollTimer);
    if (!resume) cursor = null;
    try {
      const result = await rpc.call("subscribe", cursor === null ? {} : { since: cursor });
      if (cursor === null) cursor = result.cursor;
      note("");
    } catch (error) {
      if (error.code === -32601) {
        note("Live updates are not available from this server; the page checks for changes every few seconds.");
        await skipToHead();
        pollTimer = setTimeout(poll, POLL_MS);
      } else if (error.code === -32602 && cursor !== null) {
        cursor = null;  // the log was reset (e.g. a restored database): start over
        await start(false);
      } else if (error.code !== "disconnected") {
        note("Live updates are unavailable right now.");
      }
    }
  }

  async function changesSince(since) {
    return rpc.call("changes.list", { since });
  }

  async function skipToHead() {
    if (cursor !== null) return;
    try {
      let page = await changesSince(0);
      while (page.changes.length > 0) page = await changesSince(page.cursor);
      cursor = page.cursor;
    } catch (error) {
      if (error.code === -32601) note("Live updates are not available from this server.");
    }
  }

  async function poll() {
    if (!rpc.connected || cursor === null) return;
    try {
      const page = await changesSince(cursor);
      page.changes.forEach(apply);
      cursor = Math.max(cursor, page.cursor);
      pollTimer = setTimeout(poll, page.changes.length ? 0 : POLL_MS);
    } catch (error) {
      if (error.code !== "disconnected") pollTimer = setTimeout(poll, POLL_MS);
    }
  }

  function notification(method, params) {
    if (method === "workbook.changed" && params?.change) apply(params.change);
    else if (method === "workbook.subscriptionDropped") dropped(params || {});
  }

  /** A dropped subscription: `queueFull` catches up from the drop's cursor; `databaseReplaced`
   * (a restore) makes every cursor of ours meaningless, so subscribe from the new head and reload. */
  async function dropped(params) {
    if (params.reason === "databaseReplaced") {
      cursor = null;  // our old cursor may lie past the new head (-32602) or name other changes
      await start(false);
      try {
        await app.reloadAll();
      } catch (error) {
        if (error.code !== "disconnected") app.showError(error);
      }
      return;
    }
    if (typeof params.cursor === "number") cursor = params.cursor;  // the last one delivered
    await start(true);
  }

  return { start, notification };
}
