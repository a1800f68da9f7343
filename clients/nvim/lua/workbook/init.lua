-- workbook.nvim: answer guided-reflection workbooks from Neovim, through the `workbook`
-- JSON-RPC server. Public API: setup, outline, next, final, draft, skip, theirs, stop,
-- statusline.
local client = require('workbook.client')
local config = require('workbook.config')
local prompt = require('workbook.prompt')
local status = require('workbook.status')

local M = {}

local wired = false
local function wire()
  if wired then return end
  wired = true
  client.on_change(function(change)
    prompt.on_change(change)
    status.refresh()
    require('workbook.outline').refresh_if_open()
  end)
end

--- Sets options (see `workbook.config`); optional, every command works without it.
function M.setup(opts)
  client.stop(true) -- new options apply to the next connection
  config.setup(opts)
  wire()
end

local function current_answer_buffer()
  local buf = vim.api.nvim_get_current_buf()
  if prompt.buffers[buf] then return buf end
  -- From the context or conflict window, act on the answer shown next to it.
  for answer_buf, st in pairs(prompt.buffers) do
    if st.ctx_buf == buf or require('workbook.conflict').buffer(answer_buf) == buf then return answer_buf end
  end
  client.notify('this is not a workbook answer buffer (open one with :WorkbookNext or :Workbook)', vim.log.levels.ERROR)
end

--- `:Workbook [ID]`: the outline.
function M.outline(workbookId)
  wire()
  return require('workbook.outline').open(workbookId ~= '' and workbookId or nil)
end

--- `:WorkbookNext`: the next open prompt after the current one (or from the start).
function M.next()
  wire()
  local st = prompt.buffers[vim.api.nvim_get_current_buf()]
  local workbookId = st and st.workbookId or status.current_workbook()
  local params = { workbookId = workbookId, after = st and st.promptId or nil }
  local v, err = client.call('prompts.next', next(params) and params or nil)
  if err then return client.notify('prompts.next: ' .. client.describe(err), vim.log.levels.ERROR) end
  if not v then return client.notify('every prompt is answered or skipped') end
  return prompt.open(v)
end

--- `:WorkbookOpen ID`: one prompt by id.
function M.open(promptId)
  wire()
  return prompt.open_id(promptId)
end

local function on_answer(fn)
  return function(...)
    local buf = current_answer_buffer()
    if buf then return fn(buf, ...) end
  end
end

--- `:WorkbookFinal`: saves the buffer and marks the answer final.
M.final = on_answer(function(buf) return prompt.save(buf, 'final') end)
--- `:WorkbookDraft`: saves the buffer and marks the answer a draft again.
M.draft = on_answer(function(buf) return prompt.save(buf, 'draft') end)
--- `:WorkbookSkip [reason]`: skips the prompt.
M.skip = on_answer(function(buf, reason) return prompt.skip(buf, reason ~= '' and reason or nil) end)
--- `:WorkbookTheirs`: after a conflict, takes the other version into the buffer.
M.theirs = on_answer(function(buf) return prompt.take_theirs(buf) end)

--- `:WorkbookStop`: stops the server the plugin started (or leaves the socket).
function M.stop() client.stop() end

--- Statusline segment, e.g. `solidarity 7/22`; "" until connected. Never blocks.
function M.statusline() return status.statusline() end

return M
