// Search, download, answer history, passes, the shortcut list and the keyboard shortcuts.
import { renderSnippet, plainText } from "./markdown.js";

const $ = (id) => document.getElementById(id);
const statusNames = { final: "done", draft: "draft", skipped: "skipped" };

export function installTools(rpc, state, app) {
  // Search ---------------------------------------------------------------------------------
  $("search-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const query = $("search-input").value.trim();
    if (!query) return;
    let hits;
    try {
      const result = await rpc.call("search", { query, workbookId: state.workbookId, limit: 30 });
      hits = Array.isArray(result) ? result : result.hits;
    } catch (error) {
      return app.showError(error);
    }
    $("results-heading").textContent = hits.length
      ? `${hits.length} ${hits.length === 1 ? "result" : "results"} for “${query}”`
      : `Nothing found for “${query}”`;
    $("results-list").replaceChildren(...hits.map((hit) => resultItem(hit)));
    $("search-results").hidden = false;
    $("results-heading").focus();
  });
  $("close-results").addEventListener("click", () => {
    $("search-results").hidden = true;
    $("search-input").focus();
  });

  function resultItem(hit) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = `#prompt=${encodeURIComponent(hit.promptId)}`;
    const prompt = state.prompts.find((p) => p.id === hit.promptId);
    link.textContent = prompt ? plainText(prompt.text) : hit.promptId;
    link.addEventListener("click", async (e) => {
      e.preventDefault();
      if (hit.passId && hit.passId !== state.passId && state.passes.some((p) => p.id === hit.passId)) {
        await app.editor.flush();
        state.passId = hit.passId;
        $("pass-select").value = hit.passId;
        await app.refreshAll();
      }
      await app.openPrompt(hit.promptId, { focus: true });
    });
    const meta = document.createElement("p");
    meta.className = "note";
    meta.textContent = hit.kind === "answer"
      ? `Your answer (${statusNames[hit.status] ?? hit.status}) · ${app.passLabel(state.passes.find((p) => p.id === hit.passId))}`
      : "In the question";
    const snippet = document.createElement("p");
    snippet.className = "snippet";
    snippet.append(renderSnippet(hit.snippet));
    li.append(link, meta, snippet);
    return li;
  }

  // Download -------------------------------------------------------------------------------
  async function download(format) {
    await app.editor.flush();
    try {
      // Markdown reads as one pass; JSON is the lossless document of every pass.
      const params = format === "markdown" ? app.withPass({ workbookId: state.workbookId, format })
                                           : { workbookId: state.workbookId, format };
      const result = await rpc.call("export", params);
      const text = format === "json" ? JSON.stringify(result.content, null, 2) : result.content;
      const blob = new Blob([text], { type: format === "json" ? "application/json" : "text/markdown" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `${state.workbookId}-${new Date().toISOString().slice(0, 10)}.${format === "json" ? "json" : "md"}`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    } catch (error) {
      app.showError(error);
    }
  }
  $("export-markdown").addEventListener("click", () => download("markdown"));
  $("export-json").addEventListener("click", () => download("json"));

  // History --------------------------------------------------------------------------------
  $("history-button").addEventListener("click", async () => {
    await app.editor.flush();
    const editor = app.editor;
    if (!editor.passId) {
      $("history-list").replaceChildren(Object.assign(document.createElement("li"), { textContent: "No revisions yet." }));
      return $("history-dialog").showModal();
    }
    let revisions;
    try {
      revisions = await rpc.call("answers.history", { promptId: state.promptId, passId: editor.passId });
    } catch (error) {
      return app.showError(error);
    }
    $("history-list").replaceChildren(...revisions.slice().reverse().map((r) => {
      const li = document.createElement("li");
      const meta = document.createElement("p");
      meta.className = "note";
      meta.textContent = `Revision ${r.revision} · ${statusNames[r.status] ?? r.status} · ${new Date(r.at).toLocaleString()} · ${r.client}${r.reason ? ` · ${r.reason}` : ""}`;
      const text = document.createElement("blockquote");
      text.textContent = r.text || "(empty)";
      li.append(meta, text);
      if (r.revision !== editor.revision && !editor.readOnly) {
        const restore = document.createElement("button");
        restore.type = "button";
        restore.className = "quiet";
        restore.textContent = `Restore revision ${r.revision}`;
        restore.addEventListener("click", async () => {
          $("history-dialog").close();
          const params = { promptId: state.promptId, revision: r.revision, expectedRevision: editor.revision };
          await editor.send("answers.restore", params, () => restore.click());
        });
        li.append(restore);
      }
      return li;
    }));
    $("history-dialog").showModal();
  });

  // Passes ---------------------------------------------------------------------------------
  $("new-pass").addEventListener("click", () => {
    $("pass-title").value = "";
    $("pass-dialog").showModal();
  });
  $("pass-dialog").addEventListener("close", async () => {
    if ($("pass-dialog").returnValue !== "start") return;
    await app.editor.flush();
    try {
      const title = $("pass-title").value.trim();
      const pass = await rpc.call("passes.start", { workbookId: state.workbookId, ...(title ? { title } : {}) });
      state.passId = pass.id;
      await app.refreshPasses();
      await app.refreshAll();
      await app.reloadView();
    } catch (error) {
      app.showError(error);
    }
  });

  // Keyboard -------------------------------------------------------------------------------
  $("help-button").addEventListener("click", () => $("help-dialog").showModal());
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || document.querySelector("dialog[open]")) return;
    if (e.target.closest("input, textarea, select, [contenteditable]")) return;
    const actions = {
      n: () => app.step(1),
      p: () => app.step(-1),
      e: () => $("answer").focus(),
      "/": () => $("search-input").focus(),
      o: () => {
        $("outline-details").open = true;
        ($("outline").querySelector('[aria-current]') || $("outline").querySelector("a"))?.focus();
      },
      "?": () => $("help-dialog").showModal(),
    };
    const action = actions[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  });
}
