-- What the context window shows, and how it looks (kept apart from the buffer logic).
local M = {}

local ns = vim.api.nvim_create_namespace('workbook')
M.ns = ns

-- Overridable by colour schemes: `:hi WorkbookContext guibg=...`.
vim.cmd([[
  highlight default link WorkbookContext NormalFloat
  highlight default link WorkbookQuestion Title
  highlight default link WorkbookHeader Comment
  highlight default link WorkbookSection Statement
  highlight default link WorkbookFinal String
  highlight default link WorkbookDraft DiagnosticWarn
  highlight default link WorkbookSkipped Comment
]])

local function append_text(lines, text, prefix)
  for _, line in ipairs(vim.split(text or '', '\n', { plain = true })) do
    table.insert(lines, (prefix or '') .. line)
  end
end

--- A one-line state of the answer: "no answer yet", "draft, revision 2", ...
function M.state(st)
  if not st.revision or st.revision == 0 then return 'no answer yet' end
  return string.format('%s, revision %d', st.status or '?', st.revision)
end

--- The context window's lines for a prompts.get result `v` and the buffer state `st`;
--- also returns the 0-based rows of the question (for highlighting).
function M.context_lines(v, st)
  local lines = {}
  table.insert(lines, string.format('%s · prompt %d of %d · %s', v.section.title ~= '' and v.section.title or v.workbookId,
    v.number, v.total, M.state(st)))
  for _, ctx in ipairs(v.contexts or {}) do
    table.insert(lines, '')
    append_text(lines, ctx.text)
  end
  if v.leadPrompt then
    table.insert(lines, '')
    append_text(lines, v.leadPrompt.text, '  ')
  end
  table.insert(lines, '')
  local first = #lines
  append_text(lines, v.prompt.text, '» ')
  local question = { first, #lines - 1 }
  if v.prompt.guidance then append_text(lines, v.prompt.guidance, '  ') end
  local earlier = v.earlierAnswers or {}
  if #earlier > 0 then
    table.insert(lines, '')
    table.insert(lines, string.format('In an earlier pass you wrote (%s):', earlier[1].updatedAt or ''))
    append_text(lines, earlier[1].text, '  │ ')
  end
  table.insert(lines, '')
  table.insert(lines, '── your answer below · :w saves · :WorkbookFinal marks it final · :WorkbookNext ──')
  return lines, question
end

--- Highlights the header, the question and the closing rule of a context buffer.
function M.highlight(buf, question, count)
  vim.api.nvim_buf_clear_namespace(buf, ns, 0, -1)
  vim.api.nvim_buf_add_highlight(buf, ns, 'WorkbookHeader', 0, 0, -1)
  for row = question[1], question[2] do vim.api.nvim_buf_add_highlight(buf, ns, 'WorkbookQuestion', row, 0, -1) end
  vim.api.nvim_buf_add_highlight(buf, ns, 'WorkbookHeader', count - 1, 0, -1)
end

--- Window options of the context window: wrapped text on a different background.
function M.style_context_window(win)
  local options = {
    wrap = true, linebreak = true, number = false, relativenumber = false, signcolumn = 'no',
    winfixheight = true, cursorline = false, spell = false, foldenable = false,
    winhighlight = 'Normal:WorkbookContext,EndOfBuffer:WorkbookContext',
  }
  for option, value in pairs(options) do vim.wo[win][option] = value end
end

return M
