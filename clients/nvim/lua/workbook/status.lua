-- Progress for the statusline: a cached `progress.get`, refreshed in the background after
-- saves and live changes, so the statusline never waits for the server.
local client = require('workbook.client')
local config = require('workbook.config')

local M = {}

M.progress = nil          -- the last progress.get result
local in_flight, again = false, false

--- The workbook the plugin is working on: the last one opened, else the configured one.
M.workbook = nil
function M.current_workbook() return M.workbook or config.options.workbook end

local function params()
  local id = M.current_workbook()
  return id and { workbookId = id } or nil
end

--- Fetches progress in the background; `done(progress)` is called when it arrives.
--- While a request is in flight, further refreshes fold into one more request afterwards.
function M.refresh(done)
  if in_flight then
    again = true
    return
  end
  in_flight = true
  client.request('progress.get', params(), function(err, result)
    in_flight = false
    if not err and result then
      M.progress = result
      M.workbook = M.workbook or result.workbookId
      vim.cmd('redrawstatus!')
    end
    if done then done(M.progress) end
    if again then
      again = false
      M.refresh()
    end
  end)
end

--- Stores a progress object fetched elsewhere (e.g. by the outline).
function M.set(progress)
  M.progress = progress
  vim.cmd('redrawstatus!')
end

--- The statusline segment, e.g. "solidarity 7/22" (final answers / prompts). Empty until the
--- plugin is connected; never starts the server and never blocks.
function M.statusline()
  if not M.progress then
    if client.connected() then M.refresh() end
    return ''
  end
  local p = M.progress
  return string.format('%s %d/%d', p.workbookId, p.answered, p.total)
end

return M
