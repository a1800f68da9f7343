// The outline (sections with their progress, prompts with their status) and the progress bar.
import { appendInline, plainText } from "./markdown.js";

const $ = (id) => document.getElementById(id);

export function renderProgress(p) {
  const box = $("progress");
  for (const key of ["total", "answered", "drafts", "skipped", "percent"]) box.dataset[key] = p[key];
  box.querySelector(".bar").setAttribute("aria-valuenow", p.percent);
  box.querySelector(".fill").style.width = `${p.percent}%`;
  const extra = [p.drafts ? `${p.drafts} in draft` : "", p.skipped ? `${p.skipped} skipped` : ""].filter(Boolean);
  $("progress-text").textContent = `${p.answered} of ${p.total} answered${extra.length ? ` · ${extra.join(" · ")}` : ""}`;
}

export const marks = { final: ["✓", "Done"], draft: ["✎", "Draft"], skipped: ["–", "Skipped"], open: ["○", "Open"] };

export function renderOutline(state) {
  const build = (items) => {
    const list = [];
    for (const item of items || []) {
      const li = document.createElement("li");
      if (item.kind === "section") {
        const head = document.createElement("div");
        head.className = "outline-section";
        const name = document.createElement("span");
        appendInline(name, item.title || plainText(item.text).slice(0, 60));
        const count = document.createElement("span");
        count.className = "section-progress";
        count.dataset.sectionId = item.id;
        head.append(name, count);
        const children = document.createElement("ol");
        children.append(...build(item.items));
        li.append(head, children);
      } else if (item.kind === "prompt") {
        const link = document.createElement("a");
        link.href = `#prompt=${encodeURIComponent(item.id)}`;
        link.dataset.promptId = item.id;
        const mark = document.createElement("span");
        mark.className = "mark";
        mark.setAttribute("aria-hidden", "true");
        const label = document.createElement("span");
        label.className = "visually-hidden status-label";
        const text = plainText(item.text);
        link.append(mark, label, text.length > 90 ? `${text.slice(0, 88)}…` : text);
        li.append(link);
      } else continue;
      list.push(li);
    }
    return list;
  };
  $("outline").replaceChildren(...build(state.doc.items));
  updateOutlineMarks(state, null);
}

export function updateOutlineMarks(state, progress) {
  for (const link of $("outline").querySelectorAll("a[data-prompt-id]")) {
    const status = state.statuses.get(link.dataset.promptId) || "open";
    link.dataset.status = status;
    link.querySelector(".mark").textContent = marks[status][0];
    link.querySelector(".status-label").textContent = `${marks[status][1]}: `;
    if (link.dataset.promptId === state.promptId) link.setAttribute("aria-current", "step");
    else link.removeAttribute("aria-current");
  }
  if (!progress) return;
  const counts = new Map(progress.sections.map((s) => [s.id, s]));
  for (const el of $("outline").querySelectorAll("[data-section-id]")) {
    const own = counts.get(el.dataset.sectionId);
    if (own) el.textContent = `${own.answered}/${own.total}`;
  }
  // A section made only of sections shows the sum of its parts.
  for (const el of $("outline").querySelectorAll("[data-section-id]")) {
    if (counts.has(el.dataset.sectionId)) continue;
    const parts = [...el.closest("li").querySelectorAll("[data-section-id]")]
      .map((child) => counts.get(child.dataset.sectionId)).filter(Boolean);
    const sum = (key) => parts.reduce((total, part) => total + part[key], 0);
    el.textContent = parts.length ? `${sum("answered")}/${sum("total")}` : "";
  }
}
