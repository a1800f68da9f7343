-- `:Workbook`: the outline of a workbook. Sections with their progress, each prompt with a
-- mark for final, draft, skipped or open. <CR> opens the prompt under the cursor.
local client = require('workbook.client')
local config = require('workbook.config')
local status = require('workbook.status')
local view = require('workbook.view')

local M = {}

local api = vim.api
local documents = {}   -- workbookId -> workbooks.get result (content does not change while running)
M.buf = nil             -- the outline buffer
M.rows = {}             -- 1-based line -> promptId
M.workbookId = nil

local function first_line(text, width)
  local line = vim.split(text or '', '\n', { plain = true })[1] or ''
  if vim.fn.strchars(line) > width then line = vim.fn.strcharpart(line, 0, width - 1) .. '…' end
  return line
end

local function drafts(n) return n == 1 and '1 draft' or (n .. ' drafts') end

local function section_counts(progress)
  local by_id = {}
  for _, s in ipairs(progress.sections or {}) do by_id[s.id] = s end
  return by_id
end

--- Lines, prompt rows and highlights of the outline for a workbook document, a progress
--- object and the current answers (promptId -> answer).
function M.render(doc, progress, answers)
  local marks = config.options.marks
  local lines, rows, hl = {}, {}, {}
  table.insert(lines, string.format('%s — %d/%d final · %s · %d skipped · %d%%', doc.title,
    progress.answered, progress.total, drafts(progress.drafts), progress.skipped, progress.percent))
  table.insert(lines, '<CR> open · n next open prompt · R refresh · q close')
  local counts = section_counts(progress)
  local function walk(items, depth)
    local indent = string.rep('  ', depth)
    for _, item in ipairs(items or {}) do
      if item.kind == 'section' then
        local s = counts[item.id]
        local tally = s and string.format('  %d/%d%s', s.answered, s.total, s.drafts > 0 and (' (' .. drafts(s.drafts) .. ')') or '') or ''
        table.insert(lines, '')
        table.insert(lines, indent .. '▸ ' .. (item.title or item.id) .. tally)
        table.insert(hl, { #lines - 1, 'WorkbookSection' })
        walk(item.items, depth + 1)
      elseif item.kind == 'prompt' then
        local answer = answers[item.id]
        local state = answer and answer.status or 'open'
        local sub = item.leadPromptId and '  ' or ''
        table.insert(lines, indent .. sub .. marks[state] .. ' ' .. first_line(item.text, 72 - #indent))
        rows[#lines] = item.id
        if state ~= 'open' then table.insert(hl, { #lines - 1, 'Workbook' .. state:sub(1, 1):upper() .. state:sub(2) }) end
      end
    end
  end
  walk(doc.items, 0)
  return lines, rows, hl
end

local function draw(doc, progress, answers)
  local lines, rows, hl = M.render(doc, progress, answers)
  vim.bo[M.buf].modifiable = true
  api.nvim_buf_set_lines(M.buf, 0, -1, false, lines)
  vim.bo[M.buf].modifiable = false
  vim.bo[M.buf].modified = false
  api.nvim_buf_clear_namespace(M.buf, view.ns, 0, -1)
  api.nvim_buf_add_highlight(M.buf, view.ns, 'WorkbookQuestion', 0, 0, -1)
  api.nvim_buf_add_highlight(M.buf, view.ns, 'WorkbookHeader', 1, 0, -1)
  for _, h in ipairs(hl) do api.nvim_buf_add_highlight(M.buf, view.ns, h[2], h[1], 0, -1) end
  M.rows = rows
  status.set(progress)
end

local function index(list)
  local by_prompt = {}
  for _, answer in ipairs(list or {}) do by_prompt[answer.promptId] = answer end
  return by_prompt
end

local function keymaps(buf)
  local function map(lhs, fn) vim.keymap.set('n', lhs, fn, { buffer = buf, nowait = true, silent = true }) end
  map('<CR>', M.open_under_cursor)
  map('o', M.open_under_cursor)
  map('R', function() M.refresh(true) end)
  map('n', function() require('workbook').next() end)
  map('q', function() vim.cmd('bwipeout') end)
end

local function ensure_buffer()
  if M.buf and api.nvim_buf_is_valid(M.buf) then return M.buf end
  M.buf = api.nvim_create_buf(true, true)
  api.nvim_buf_set_name(M.buf, 'workbook://outline')
  for option, value in pairs({ bufhidden = 'hide', filetype = 'workbook-outline', modifiable = false, swapfile = false }) do
    vim.bo[M.buf][option] = value
  end
  keymaps(M.buf)
  return M.buf
end

--- Opens the outline of `workbookId` (default: the current workbook) in the current window.
function M.open(workbookId)
  workbookId = workbookId or status.current_workbook()
  -- Without a workbook id the server's default workbook is meant; progress.get names it.
  local progress = client.get('progress.get', workbookId and { workbookId = workbookId } or nil)
  if not progress then return end
  workbookId = progress.workbookId
  documents[workbookId] = documents[workbookId] or client.get('workbooks.get', { workbookId = workbookId })
  local answers = client.get('answers.list', { workbookId = workbookId })
  if not (documents[workbookId] and progress and answers) then return end
  M.workbookId, status.workbook = workbookId, workbookId
  api.nvim_win_set_buf(0, ensure_buffer())
  draw(documents[workbookId], progress, index(answers))
  return M.buf
end

--- Redraws the outline, waiting for the server when `sync`, else in the background.
function M.refresh(sync)
  if not (M.buf and api.nvim_buf_is_valid(M.buf) and M.workbookId) then return end
  local id = M.workbookId
  if sync then
    local progress, answers = client.get('progress.get', { workbookId = id }), client.get('answers.list', { workbookId = id })
    if progress and answers then draw(documents[id], progress, index(answers)) end
    return
  end
  client.request('progress.get', { workbookId = id }, function(err, progress)
    if err then return end
    client.request('answers.list', { workbookId = id }, function(err2, answers)
      if not err2 and api.nvim_buf_is_valid(M.buf) then draw(documents[id], progress, index(answers)) end
    end)
  end)
end

--- Refreshes the outline in the background if it is open.
function M.refresh_if_open() M.refresh(false) end

--- Opens the prompt on the cursor line.
function M.open_under_cursor()
  local id = M.rows[api.nvim_win_get_cursor(0)[1]]
  if not id then return client.notify('no prompt on this line', vim.log.levels.WARN) end
  require('workbook.prompt').open_id(id)
end

return M
