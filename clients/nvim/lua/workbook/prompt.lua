-- A prompt opened for answering: the answer buffer (`workbook://PROMPT-ID`, buftype=acwrite,
-- so `:w` saves through the server) and, above it, a read-only context window with the
-- section, the framing paragraphs, the question and its guidance.
local client = require('workbook.client')
local status = require('workbook.status')
local view = require('workbook.view')

local M = {}

--- Per answer buffer: {promptId, workbookId, passId, revision, status, view, ctx_buf, ctx_win,
--- conflict (error data of a 1004), remote (a change seen while the buffer had edits)}.
M.buffers = {}

local api = vim.api

local function set_text(buf, text)
  api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(text or '', '\n', { plain = true }))
end

--- The answer text exactly as in the buffer: lines joined by "\n", no newline added.
function M.text(buf)
  return table.concat(api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
end

--- The answer buffer of `promptId`, if one is open.
function M.find(promptId)
  for buf, st in pairs(M.buffers) do
    if st.promptId == promptId and api.nvim_buf_is_valid(buf) then return buf end
  end
end

local function render_context(buf)
  local st = M.buffers[buf]
  if not (st and st.ctx_buf and api.nvim_buf_is_valid(st.ctx_buf)) then return end
  local lines, question = view.context_lines(st.view, st)
  vim.bo[st.ctx_buf].modifiable = true
  api.nvim_buf_set_lines(st.ctx_buf, 0, -1, false, lines)
  vim.bo[st.ctx_buf].modifiable = false
  view.highlight(st.ctx_buf, question, #lines)
end

local function context_height(win, lines)
  local width = math.max(20, api.nvim_win_get_width(win) - 2)
  local rows = 0
  for _, line in ipairs(lines) do
    rows = rows + math.max(1, math.ceil(vim.fn.strdisplaywidth(line) / width))
  end
  return math.max(3, math.min(rows, math.floor(vim.o.lines * 0.4)))
end

--- Shows the context window above the window holding `buf` (once).
function M.show_context(buf)
  local st = M.buffers[buf]
  local win = vim.fn.bufwinid(buf)
  if not st or win == -1 or (st.ctx_win and api.nvim_win_is_valid(st.ctx_win)) then return end
  local back = api.nvim_get_current_win()
  api.nvim_set_current_win(win)
  vim.cmd('noautocmd aboveleft ' .. context_height(win, api.nvim_buf_get_lines(st.ctx_buf, 0, -1, false)) .. 'split')
  st.ctx_win = api.nvim_get_current_win()
  api.nvim_win_set_buf(st.ctx_win, st.ctx_buf)
  view.style_context_window(st.ctx_win)
  -- When the context does not fit, keep the question (at the bottom) in view.
  api.nvim_win_set_cursor(st.ctx_win, { api.nvim_buf_line_count(st.ctx_buf), 0 })
  api.nvim_set_current_win(back == win and win or back)
end

local function hide_context(buf)
  local st = M.buffers[buf]
  if st and st.ctx_win and api.nvim_win_is_valid(st.ctx_win) and #api.nvim_list_wins() > 1 then
    pcall(api.nvim_win_close, st.ctx_win, true)
  end
  if st then st.ctx_win = nil end
end

--- Records `answer` (or nil) as the buffer's saved state; with `replace`, also its text.
function M.apply(buf, answer, replace)
  local st = M.buffers[buf]
  st.revision = answer and answer.revision or 0
  st.status = answer and answer.status or nil
  st.passId = answer and answer.passId or st.passId
  st.remote = nil
  if replace then set_text(buf, answer and answer.text or '') end
  vim.bo[buf].modified = false
  render_context(buf)
end

local function attach(buf)
  local group = api.nvim_create_augroup('workbook_prompt_' .. buf, { clear = true })
  api.nvim_create_autocmd('BufWriteCmd', { group = group, buffer = buf, callback = function()
    M.save(buf, nil, vim.v.cmdbang == 1)
  end })
  api.nvim_create_autocmd('BufWinEnter', { group = group, buffer = buf, callback = function()
    vim.schedule(function() M.show_context(buf) end)
  end })
  api.nvim_create_autocmd('BufWinLeave', { group = group, buffer = buf, callback = function()
    vim.schedule(function() hide_context(buf) end)
  end })
  api.nvim_create_autocmd('BufWipeout', { group = group, buffer = buf, callback = function()
    local st = M.buffers[buf]
    M.buffers[buf] = nil
    if st and api.nvim_buf_is_valid(st.ctx_buf) then
      vim.schedule(function() pcall(api.nvim_buf_delete, st.ctx_buf, { force = true }) end)
    end
  end })
end

local function create(v)
  local buf = api.nvim_create_buf(true, false)
  api.nvim_buf_set_name(buf, 'workbook://' .. v.prompt.id)
  for option, value in pairs({ buftype = 'acwrite', swapfile = false, bufhidden = 'hide', filetype = 'markdown' }) do
    vim.bo[buf][option] = value
  end
  local ctx = api.nvim_create_buf(false, true)
  api.nvim_buf_set_name(ctx, 'workbook-context://' .. v.prompt.id)
  for option, value in pairs({ bufhidden = 'hide', filetype = 'markdown', modifiable = false }) do
    vim.bo[ctx][option] = value
  end
  M.buffers[buf] = { promptId = v.prompt.id, workbookId = v.workbookId, passId = v.passId, view = v, ctx_buf = ctx }
  local undolevels = vim.bo[buf].undolevels
  vim.bo[buf].undolevels = -1 -- loading the saved text is not an undo step
  M.apply(buf, v.answer, true)
  vim.bo[buf].undolevels = undolevels
  attach(buf)
  return buf
end

--- Opens the prompt described by `v` (a prompts.get / prompts.next result) in the current
--- window. An already open buffer is reused as is, so unsaved edits are never replaced.
function M.open(v)
  status.workbook = v.workbookId
  local buf = M.find(v.prompt.id)
  if buf then
    M.buffers[buf].view = v
    render_context(buf)
  else
    buf = create(v)
  end
  if api.nvim_get_current_buf() ~= buf then api.nvim_win_set_buf(0, buf) end
  M.show_context(buf)
  return buf
end

--- Opens a prompt by id.
function M.open_id(promptId)
  local v = client.get('prompts.get', { promptId = promptId })
  if v then return M.open(v) end
end

local function after_save(buf, answer, verb)
  M.apply(buf, answer, false)
  require('workbook.conflict').close(buf)
  M.buffers[buf].conflict = nil
  status.refresh()
  require('workbook.outline').refresh_if_open()
  client.notify(string.format('%s (%s, revision %d)', verb, answer.status, answer.revision))
  M.replay(buf)
end

local function call_for(buf, method, params)
  local st = M.buffers[buf]
  st.saving = true
  local result, err = client.call(method, params)
  st.saving = false
  return result, err
end

--- Saves the buffer's text. `new_status` nil keeps a final answer final (a new one is a
--- draft). `force` (`:w!`) after a conflict overwrites the version shown in the conflict.
function M.save(buf, new_status, force)
  local st = M.buffers[buf]
  if not st then return client.notify('not a workbook answer buffer', vim.log.levels.ERROR) end
  local text = M.text(buf)
  local expected = (force and st.conflict) and st.conflict.currentRevision or st.revision
  local params = { promptId = st.promptId, text = text, expectedRevision = expected, passId = st.passId, status = new_status }
  local result, err = call_for(buf, 'answers.save', params)
  if err and err.code == 1004 then
    st.conflict = err.data or {}
    require('workbook.conflict').show(buf, text, st.conflict)
    return false
  elseif err then
    client.notify('answers.save: ' .. client.describe(err), vim.log.levels.ERROR)
    return false
  end
  after_save(buf, result.answer, 'saved')
  return true
end

--- Skips the prompt (`:WorkbookSkip [reason]`).
function M.skip(buf, reason)
  local st = M.buffers[buf]
  if not st then return client.notify('not a workbook answer buffer', vim.log.levels.ERROR) end
  local params = { promptId = st.promptId, expectedRevision = st.revision, passId = st.passId, reason = reason }
  local result, err = call_for(buf, 'answers.skip', params)
  if err then return client.notify('answers.skip: ' .. client.describe(err), vim.log.levels.ERROR) end
  after_save(buf, result.answer, 'skipped')
end

--- Takes the other version shown in a conflict into the buffer (`:WorkbookTheirs`).
function M.take_theirs(buf)
  local st = M.buffers[buf]
  if not (st and st.conflict) then return client.notify('no conflict to resolve', vim.log.levels.WARN) end
  M.apply(buf, st.conflict.current, true)
  st.conflict = nil
  require('workbook.conflict').close(buf)
end

--- Re-reads the answer from the server into an unmodified buffer.
function M.reload(buf, by)
  local st = M.buffers[buf]
  local params = { promptId = st.promptId, passId = st.passId }
  client.request('prompts.get', params, function(err, v)
    if err or not api.nvim_buf_is_valid(buf) or vim.bo[buf].modified then return end
    st.view = v
    M.apply(buf, v.answer, true)
    if by then client.notify('answer updated by ' .. by) end
  end)
end

local function concerns(st, change)
  if change.type == 'data.erased' or change.type == client.DATABASE_REPLACED then return true end
  if change.passId ~= nil and st.passId ~= nil and change.passId ~= st.passId then return false end
  if change.promptId == nil then return change.type == 'pass.deleted' end
  return change.promptId == st.promptId and (change.revision == nil or change.revision > (st.revision or 0))
end

--- Handles a `workbook.changed` for every open answer buffer: unmodified buffers reload;
--- buffers with edits keep them and remember the change (the next `:w` shows the conflict).
function M.on_change(change)
  for buf, st in pairs(M.buffers) do
    if api.nvim_buf_is_valid(buf) and concerns(st, change) then
      if st.saving then
        st.deferred = change
      elseif vim.bo[buf].modified then
        st.remote = change
        client.notify(string.format('changed elsewhere by %s; your edits are kept', change.client or '?'),
          vim.log.levels.WARN)
      else
        M.reload(buf, change.client)
      end
    end
  end
end

--- Handles a change that arrived while a save was waiting for its reply.
function M.replay(buf)
  local st = M.buffers[buf]
  local change = st and st.deferred
  if not change then return end
  st.deferred = nil
  if concerns(st, change) then M.on_change(change) end
end

return M
