-- Two ways to reach the server, with one interface:
--   t.request(method, params, callback(err, result)) -> boolean (sent)
--   t.close(), t.alive() -> boolean
-- `stdio` starts `workbook serve --stdio` through vim.lsp.rpc (Content-Length framing);
-- `socket` connects to a running server with sockconnect and speaks NDJSON.
local M = {}

--- Starts the server as a child process. `handlers.notification(method, params)` receives
--- server notifications; `handlers.exit(code)` is called when the process ends.
function M.stdio(cmd, args, handlers)
  local running = true
  local dispatchers = {
    notification = function(method, params) handlers.notification(method, params) end,
    on_exit = function(code)
      running = false
      vim.schedule(function() handlers.exit(code) end)
    end,
    on_error = function(kind, err) handlers.error(vim.lsp.rpc.client_errors[kind] or kind, err) end,
  }
  local rpc
  if vim.fn.has('nvim-0.10') == 1 then
    rpc = vim.lsp.rpc.start(vim.list_extend({ cmd }, args), dispatchers)
  else -- 0.7 to 0.9: start(cmd, cmd_args, dispatchers)
    rpc = vim.lsp.rpc.start(cmd, args, dispatchers)
  end
  if not rpc then return nil, 'cannot start ' .. cmd end
  return {
    request = function(method, params, callback) return rpc.request(method, params, callback) end,
    -- SIGTERM: the server finishes in-flight requests and exits 0.
    close = function()
      if not running then return end
      if rpc.terminate then rpc.terminate() else rpc.handle:kill(15) end
    end,
    alive = function() return running end,
  }
end

--- Connects to a Unix socket; one JSON text per line each way.
function M.socket(path, handlers)
  local pending, next_id, partial, chan = {}, 0, '', nil
  local function receive(line)
    local ok, msg = pcall(vim.json.decode, line, { luanil = { object = true } })
    if not ok or type(msg) ~= 'table' then
      return handlers.error('INVALID_SERVER_JSON', line)
    end
    if msg.method then return handlers.notification(msg.method, msg.params) end
    local callback = pending[msg.id]
    pending[msg.id] = nil
    if callback then callback(msg.error, msg.result) end
  end
  local function on_data(_, data)
    if #data == 1 and data[1] == '' then -- EOF
      chan = nil
      for id, callback in pairs(pending) do
        pending[id] = nil
        callback({ code = -32002, message = 'connection closed' }, nil)
      end
      return handlers.exit(0)
    end
    data[1] = partial .. data[1]
    partial = table.remove(data)
    for _, line in ipairs(data) do
      if line ~= '' then receive(line) end
    end
  end
  local ok, result = pcall(vim.fn.sockconnect, 'pipe', path, { on_data = on_data })
  if not ok or result == 0 then return nil, 'cannot connect to ' .. path .. ': ' .. tostring(result) end
  chan = result
  return {
    request = function(method, params, callback)
      if not chan then return false end
      next_id = next_id + 1
      pending[next_id] = callback
      local msg = { jsonrpc = '2.0', id = next_id, method = method, params = params }
      vim.fn.chansend(chan, vim.json.encode(msg) .. '\n')
      return true
    end,
    close = function()
      if chan then vim.fn.chanclose(chan) end
      chan = nil
    end,
    alive = function() return chan ~= nil end,
  }
end

return M
