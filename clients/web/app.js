// The workbook page: connection, loading, outline, progress and the prompt view.
// Answer editing lives in editor.js; search, export, history and passes in tools.js.
import { RpcClient } from "./rpc.js";
import { renderBlocks, appendInline, plainText } from "./markdown.js";
import { renderOutline, renderProgress, updateOutlineMarks, marks } from "./outline.js";
import { Editor } from "./editor.js";
import { installTools } from "./tools.js";
import { installLive } from "./live.js";

const $ = (id) => document.getElementById(id);

export const state = {
  workbookId: null, doc: null, prompts: [], passes: [], passId: null,
  statuses: new Map(), promptId: null, view: null, databaseId: null, loaded: false,
};

const scheme = location.protocol === "https:" ? "wss" : "ws";
export const rpc = new RpcClient(`${scheme}://${location.host}/rpc`, {
  onOpen: (again) => connected(again),
  onClose: () => disconnected(),
  onNotification: (method, params) => live.notification(method, params),
});

export const app = {
  refreshSoon, refreshPasses, refreshAll, openPrompt, showError, passLabel, currentPass, step, withPass,
  reloadView: () => state.promptId && openPrompt(state.promptId, { replace: true }),
  reloadAll,
};
const editor = new Editor(rpc, state, app);
app.editor = editor;
const live = installLive(rpc, state, app);
installTools(rpc, state, app);

// Connection -----------------------------------------------------------------------------------

function setConnection(kind, text) {
  const el = $("connection");
  el.dataset.state = kind;
  el.textContent = text;
}

async function connected(again) {
  setConnection("online", again ? "Reconnected." : "");
  setTimeout(() => { if ($("connection").dataset.state === "online") $("connection").textContent = ""; }, 4000);
  try {
    const info = await rpc.call("initialize", { clientInfo: { name: "web", version: "1" } });
    const sameDatabase = info.databaseId === state.databaseId;
    state.databaseId = info.databaseId;
    await live.start(again && sameDatabase);
    if (!state.loaded || !sameDatabase) await loadAll();
    else await refreshAll();
    editor.resume();
  } catch (error) {
    if (error.code !== "disconnected") showError(error);
  }
}

let failures = 0;
async function disconnected() {
  failures++;
  setConnection("offline", "The server is not reachable. Anything unsaved stays on this page; reconnecting…");
  editor.offline();
  if (failures === 3) {
    // Reachable but refusing us: the server was restarted with a new token.
    try {
      const response = await fetch("/rpc", { cache: "no-store" });
      if (response.status === 401 || response.status === 403) {
        setConnection("refused", "The server was restarted: open the new address it printed (with its token) to continue.");
      }
    } catch { /* still down */ }
  }
}

// Loading ------------------------------------------------------------------------------------

async function loadAll() {
  const list = await rpc.call("workbooks.list");
  const select = $("workbook-select");
  select.replaceChildren(...list.map((w) => new Option(w.title, w.id)));
  $("workbook-picker").hidden = list.length < 2;
  if (list.length === 0) {
    $("empty-state").hidden = false;
    $("empty-state").textContent = "This server has no workbooks.";
    return;
  }
  const wanted = promptFromHash();
  const id = list.some((w) => w.id === state.workbookId) ? state.workbookId : list[0].id;
  await selectWorkbook(id, wanted);
  state.loaded = true;
  failures = 0;
}

/** Reloads everything shown after the served database was replaced (e.g. restored from a backup). */
async function reloadAll() {
  const info = await rpc.call("server.info");
  state.databaseId = info.databaseId;
  await loadAll();
}

export async function selectWorkbook(workbookId, promptId) {
  const doc = await rpc.call("workbooks.get", { workbookId });
  state.workbookId = workbookId;
  state.doc = doc;
  state.prompts = [];
  collectPrompts(doc.items, null);
  $("workbook-select").value = workbookId;
  $("workbook-title").textContent = plainText(doc.title);
  document.title = `${plainText(doc.title)} · Workbook`;
  renderAttribution(doc.attribution);
  await refreshPasses(true);
  renderOutline(state);
  await refreshAll();
  let target = promptId && state.prompts.some((p) => p.id === promptId) ? promptId : null;
  if (!target) {
    const next = await rpc.call("prompts.next", withPass({ workbookId }));
    target = next ? next.prompt.id : state.prompts[0]?.id;
  }
  if (target) await openPrompt(target, { replace: true });
}

function collectPrompts(items, section) {
  for (const item of items || []) {
    if (item.kind === "section") collectPrompts(item.items, item);
    else if (item.kind === "prompt") state.prompts.push({ id: item.id, text: item.text, section });
  }
}

export function withPass(params) {
  return state.passId ? { ...params, passId: state.passId } : params;
}

export function currentPass() {
  return state.passes.find((p) => p.id === state.passId) || null;
}

export function passLabel(pass) {
  if (!pass) return "No pass yet";
  const date = new Date(pass.startedAt).toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
  return `${pass.title || `Pass of ${date}`}${pass.closedAt ? " (closed)" : ""}`;
}

/** Reloads the pass list; keeps the chosen pass, or takes the newest when none is chosen. */
async function refreshPasses(resetChoice = false) {
  const passes = await rpc.call("passes.list", { workbookId: state.workbookId });
  passes.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
  state.passes = passes;
  const before = state.passId;
  if (resetChoice || !passes.some((p) => p.id === state.passId)) state.passId = passes[0]?.id ?? null;
  const select = $("pass-select");
  select.replaceChildren(...(passes.length ? passes.map((p) => new Option(passLabel(p), p.id)) : [new Option("No pass yet", "")]));
  select.value = state.passId ?? "";
  const closed = currentPass()?.closedAt;
  $("pass-note").hidden = !closed;
  $("pass-note").textContent = closed ? "This pass is closed: you can read it, and start a new pass to write." : "";
  return before !== state.passId;
}

// Progress and outline ---------------------------------------------------------------------------

let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refreshAll().catch(showError), 150);
}

async function refreshAll() {
  if (!state.workbookId) return;
  if (await refreshPasses()) await app.reloadView();
  const [progress, answers] = await Promise.all([
    rpc.call("progress.get", withPass({ workbookId: state.workbookId })),
    state.passId ? rpc.call("answers.list", { workbookId: state.workbookId, passId: state.passId }) : [],
  ]);
  state.statuses = new Map(answers.map((a) => [a.promptId, a.status]));
  renderProgress(progress);
  updateOutlineMarks(state, progress);
}

function renderAttribution(attribution) {
  const footer = $("attribution");
  footer.replaceChildren();
  if (!attribution) return;
  for (const part of [attribution.title, attribution.source, attribution.note]) {
    if (part) footer.append(renderBlocks(part));
  }
}

// The prompt view ---------------------------------------------------------------------------

function promptFromHash() {
  const match = /^#prompt=(.+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

async function openPrompt(promptId, { replace = false, focus = false } = {}) {
  await editor.flush();
  let view;
  try {
    view = await rpc.call("prompts.get", withPass({ promptId }));
  } catch (error) {
    if (error.code === 1002 && state.prompts[0]) return openPrompt(state.prompts[0].id, { replace: true });
    return showError(error);
  }
  if (view.workbookId !== state.workbookId) return selectWorkbook(view.workbookId, promptId);
  state.promptId = promptId;
  state.view = view;
  const hash = `#prompt=${encodeURIComponent(promptId)}`;
  if (location.hash !== hash) history[replace ? "replaceState" : "pushState"](null, "", hash);
  renderView(view);
  updateOutlineMarks(state, null);
  if (focus) $("prompt-heading").focus();
}

function renderView(view) {
  $("prompt-view").hidden = false;
  $("empty-state").hidden = true;
  $("section-title").textContent = plainText(view.section.title);
  $("contexts").replaceChildren(...view.contexts.map((c) => {
    const box = document.createElement("div");
    box.className = "context";
    if (c.title) {
      const h = document.createElement("h3");
      appendInline(h, c.title);
      box.append(h);
    }
    box.append(renderBlocks(c.text));
    return box;
  }));
  const lead = $("lead-prompt");
  lead.hidden = !view.leadPrompt;
  lead.replaceChildren();
  if (view.leadPrompt) {
    lead.append("Part of: ");
    appendInline(lead, plainText(view.leadPrompt.text));
  }
  $("prompt-heading").replaceChildren();
  appendInline($("prompt-heading"), view.prompt.text.replace(/\s*\n\s*/g, " "));
  $("guidance").hidden = !view.prompt.guidance;
  $("guidance").replaceChildren(renderBlocks(view.prompt.guidance || ""));
  $("position").textContent = `Question ${view.number} of ${view.total}`;
  const index = state.prompts.findIndex((p) => p.id === view.prompt.id);
  $("previous").disabled = index <= 0;
  $("next").disabled = index < 0 || index >= state.prompts.length - 1;
  renderEarlier(view.earlierAnswers, view.earlierMore);
  editor.load(view, Boolean(currentPass()?.closedAt));
}

// The server sends a page of earlier answers (newest first); `more` says older ones exist.
function renderEarlier(answers, more) {
  const box = $("earlier");
  box.hidden = answers.length === 0;
  $("earlier-summary").textContent = `Your answers in earlier passes (${answers.length})`;
  const items = answers.map((a) => {
    const item = document.createElement("figure");
    const caption = document.createElement("figcaption");
    const pass = state.passes.find((p) => p.id === a.passId);
    caption.textContent = `${passLabel(pass)} · ${marks[a.status]?.[1] ?? a.status}`;
    const text = document.createElement("blockquote");
    text.textContent = a.text;
    item.append(caption, text);
    return item;
  });
  if (more) {
    const note = document.createElement("p");
    note.className = "earlier-more";
    note.textContent = "Older answers not shown.";
    items.push(note);
  }
  $("earlier-list").replaceChildren(...items);
}

export function step(delta) {
  const index = state.prompts.findIndex((p) => p.id === state.promptId);
  const target = state.prompts[index + delta];
  if (target) openPrompt(target.id, { focus: true });
}

export function showError(error) {
  const el = $("save-state");
  el.dataset.state = "error";
  el.textContent = error.code === -32601
    ? "This server does not offer that yet."
    : `Something went wrong: ${error.message || error}`;
  console.error(error);
}

window.addEventListener("hashchange", () => {
  const id = promptFromHash();
  if (id && id !== state.promptId) openPrompt(id, { replace: true, focus: true });
});
$("workbook-select").addEventListener("change", (e) => selectWorkbook(e.target.value, null).catch(showError));
$("pass-select").addEventListener("change", async (e) => {
  await editor.flush();
  state.passId = e.target.value || null;
  await refreshPasses();
  await refreshAll();
  await app.reloadView();
});
$("previous").addEventListener("click", () => step(-1));
$("next").addEventListener("click", () => step(1));
if (matchMedia("(min-width: 60rem)").matches) $("outline-details").open = true;
window.workbook = { rpc, state };  // for the console and the browser tests
rpc.connect();
