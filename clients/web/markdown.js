// Safe rendering of the little Markdown the workbook texts use, and of search snippets.
// Everything is built as DOM nodes from text: no server text is ever parsed as HTML.

/** Appends `text` with **strong**, *emphasis* and [link text](…) (kept as text) to `parent`. */
export function appendInline(parent, text) {
  const pattern = /\*\*(.+?)\*\*|\*(.+?)\*|\[([^\]]+)\]\([^)]*\)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parent.append(text.slice(last, match.index));
    if (match[1] !== undefined) {
      const strong = document.createElement("strong");
      appendInline(strong, match[1]);
      parent.append(strong);
    } else if (match[2] !== undefined) {
      const em = document.createElement("em");
      appendInline(em, match[2]);
      parent.append(em);
    } else {
      parent.append(match[3]);
    }
    last = match.index + match[0].length;
  }
  parent.append(text.slice(last));
}

/** Renders blocks (paragraphs separated by blank lines, "- " and "1. " lists) into a fragment. */
export function renderBlocks(text) {
  const fragment = document.createDocumentFragment();
  for (const block of (text || "").split(/\n\s*\n/)) {
    const lines = block.split("\n").filter((line) => line.trim() !== "");
    if (lines.length === 0) continue;
    const bullet = lines.every((line) => /^\s*[-*]\s+/.test(line));
    const numbered = lines.every((line) => /^\s*\d+[.)]\s+/.test(line));
    if (bullet || numbered) {
      const list = document.createElement(numbered ? "ol" : "ul");
      for (const line of lines) {
        const item = document.createElement("li");
        appendInline(item, line.replace(/^\s*([-*]|\d+[.)])\s+/, ""));
        list.append(item);
      }
      fragment.append(list);
    } else {
      const paragraph = document.createElement("p");
      appendInline(paragraph, lines.join(" ").replace(/^#+\s+/, ""));
      fragment.append(paragraph);
    }
  }
  return fragment;
}

/** Plain text of inline Markdown (for the outline and titles). */
export function plainText(text) {
  return (text || "").replace(/\*\*(.+?)\*\*|\*(.+?)\*/g, "$1$2").replace(/\[([^\]]+)\]\([^)]*\)/g, "$1");
}

const entities = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'", "&apos;": "'" };

/** Renders a search snippet: `<mark>` becomes a mark element, every other character is text. */
export function renderSnippet(snippet) {
  const fragment = document.createDocumentFragment();
  const decode = (s) => s.replace(/&(amp|lt|gt|quot|apos|#39|#x27);/g, (e) => entities[e]);
  const parts = (snippet || "").split(/(<mark>|<\/mark>)/);
  let inMark = false;
  for (const part of parts) {
    if (part === "<mark>") inMark = true;
    else if (part === "</mark>") inMark = false;
    else if (part) {
      if (inMark) {
        const mark = document.createElement("mark");
        mark.textContent = decode(part);
        fragment.append(mark);
      } else fragment.append(decode(part));
    }
  }
  return fragment;
}
