-- A save refused with 1004 (revisionConflict): nothing is overwritten. A scratch buffer below
-- the answer shows both versions; `:w!` keeps yours, `:WorkbookTheirs` takes theirs.
local M = {}

local api = vim.api
local conflicts = {} -- answer buffer -> conflict buffer

local function lines_of(text, out)
  for _, line in ipairs(vim.split(text or '', '\n', { plain = true })) do table.insert(out, line) end
end

--- The conflict buffer's lines for `mine` (text) against `data` (the 1004 error data); theirs
--- first, since yours is on screen in the answer buffer anyway.
function M.lines(promptId, mine, data)
  local current = data.current
  local theirs = current and string.format('revision %s, %s by %s at %s', tostring(data.currentRevision),
    current.status, current.client, current.updatedAt) or 'deleted'
  local out = {
    'Conflict on ' .. promptId .. ': the answer changed elsewhere since you opened it.',
    'Nothing was overwritten. In the answer buffer:  :w!  keeps yours · :WorkbookTheirs takes theirs',
    '',
    '===== theirs (' .. theirs .. ') =====',
  }
  if current then lines_of(current.text, out) end
  table.insert(out, '')
  table.insert(out, '===== yours (unsaved, still in your buffer) =====')
  lines_of(mine, out)
  return out
end

--- Shows the conflict of answer buffer `buf` in a split below it.
function M.show(buf, mine, data)
  local st = require('workbook.prompt').buffers[buf]
  local cbuf = conflicts[buf]
  if not (cbuf and api.nvim_buf_is_valid(cbuf)) then
    cbuf = api.nvim_create_buf(false, true)
    api.nvim_buf_set_name(cbuf, 'workbook-conflict://' .. st.promptId)
    vim.bo[cbuf].bufhidden = 'wipe'
    vim.bo[cbuf].filetype = 'markdown'
    conflicts[buf] = cbuf
  end
  vim.bo[cbuf].modifiable = true
  api.nvim_buf_set_lines(cbuf, 0, -1, false, M.lines(st.promptId, mine, data))
  vim.bo[cbuf].modifiable = false
  if vim.fn.bufwinid(cbuf) == -1 then
    local back = api.nvim_get_current_win()
    local win = vim.fn.bufwinid(buf)
    if win ~= -1 then api.nvim_set_current_win(win) end
    local height = math.min(api.nvim_buf_line_count(cbuf), math.floor(vim.o.lines * 0.4))
    vim.cmd('noautocmd belowright ' .. math.max(height, 3) .. 'split')
    api.nvim_win_set_buf(0, cbuf)
    api.nvim_set_current_win(back)
  end
  require('workbook.client').notify('conflict: both versions shown, nothing was overwritten', vim.log.levels.WARN)
  return cbuf
end

--- The conflict buffer of answer buffer `buf`, if any.
function M.buffer(buf)
  local cbuf = conflicts[buf]
  if cbuf and api.nvim_buf_is_valid(cbuf) then return cbuf end
end

--- Closes the conflict buffer of `buf` (after the conflict is resolved).
function M.close(buf)
  local cbuf = M.buffer(buf)
  conflicts[buf] = nil
  if cbuf then pcall(api.nvim_buf_delete, cbuf, { force = true }) end
end

return M
