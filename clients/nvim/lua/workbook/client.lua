-- The one connection to the workbook server: started on first use, `initialize`d with the
-- client name "nvim" (recorded on saved revisions), subscribed to changes when the server
-- offers `subscribe`.
local config = require('workbook.config')
local transport = require('workbook.transport')

local M = {}

local conn = nil          -- the transport while connected
local listeners = {}      -- functions(change) called for every workbook.changed
M.subscription = nil      -- {subscriptionId, cursor} once subscribed
local last_cursor = nil   -- the newest change seen; a reconnect catches up from here

local function notify(msg, level) vim.notify('workbook: ' .. msg, level or vim.log.levels.INFO) end
M.notify = notify

--- Formats a JSON-RPC error object as one readable line.
function M.describe(err)
  if type(err) ~= 'table' then return tostring(err) end
  local kind = type(err.data) == 'table' and err.data.kind
  return string.format('%s (%s%s)', err.message or 'error', tostring(err.code), kind and (', ' .. kind) or '')
end

--- The `type` of the change listeners get (made here, not by the server) when the database was
--- replaced: everything shown is stale.
M.DATABASE_REPLACED = 'database.replaced'

local function changed(change)
  for _, fn in ipairs(listeners) do
    local ok, err = pcall(fn, change)
    if not ok then notify('change handler failed: ' .. tostring(err), vim.log.levels.ERROR) end
  end
end

local function on_notification(method, params)
  if method == 'workbook.changed' and params and params.change then
    last_cursor = params.change.cursor
    changed(params.change)
  elseif method == 'workbook.subscriptionDropped' then
    M.subscription = nil
    if params and params.reason == 'databaseReplaced' then
      -- A restore replaced the database: our cursor means nothing there (it may even be past the
      -- new head), so subscribe from the new head and let the listeners reload what they show.
      last_cursor = nil
      M.subscribe(nil)
      M.notify('the database was replaced (restored); reloading')
      changed({ type = M.DATABASE_REPLACED })
    else
      -- queueFull: we fell behind; catch up from the last cursor the server delivered.
      last_cursor = params and params.cursor or last_cursor
      M.subscribe(last_cursor)
    end
  end
end

-- Handlers of one connection; `h.transport` is set once it exists, so that the end of an old
-- connection (a server still exiting after `stop`) never clears a newer one.
local function handlers()
  local h = { notification = on_notification }
  h.exit = function(code)
    if conn ~= h.transport then return end
    conn, M.subscription = nil, nil
    if code ~= 0 then notify('server exited with status ' .. tostring(code), vim.log.levels.WARN) end
  end
  -- Transport trouble (a late reply, unreadable JSON) is kept for `:lua =require'workbook.client'.last_error`,
  -- not shown: the request concerned already reported its own error or timeout.
  h.error = function(kind, err) M.last_error = { kind = kind, error = err } end
  return h
end

local function spawn_args()
  local args = { 'serve', '--stdio' }
  if config.options.database then vim.list_extend(args, { '--database', config.options.database }) end
  return vim.list_extend(args, config.options.serve_args or {})
end

--- Sends a request; `callback(err, result)` runs on the main loop. Starts the server if needed.
function M.request(method, params, callback)
  local ok, err = M.ensure()
  if not ok then return callback({ code = -32002, message = err }, nil) end
  if not conn.request(method, params, callback) then
    callback({ code = -32002, message = 'not connected' }, nil)
  end
end

--- Sends a request and waits for its reply (at most `timeout` ms): returns result, err.
function M.call(method, params)
  local done, err, result = false, nil, nil
  M.request(method, params, function(e, r) done, err, result = true, e, r end)
  if not vim.wait(config.options.timeout, function() return done end, 5) then
    return nil, { code = -32002, message = 'no reply to ' .. method .. ' within ' .. config.options.timeout .. ' ms' }
  end
  return result, err
end

--- Like `call`, but reports an error to the user and returns nil.
function M.get(method, params)
  local result, err = M.call(method, params)
  if err then
    notify(method .. ': ' .. M.describe(err), vim.log.levels.ERROR)
    return nil, err
  end
  return result
end

--- Subscribes to changes (catching up from `since` when given; a cursor the server does not
--- know, e.g. after a restore, falls back to no catch-up). Quiet on servers without it.
function M.subscribe(since)
  if not config.options.live then return end
  M.request('subscribe', since and { since = since } or nil, function(err, result)
    if err and since then return M.subscribe(nil) end
    if err then return end
    M.subscription = result
    last_cursor = last_cursor or result.cursor
  end)
end

--- Connects (or starts the server) unless already connected: returns true, or false and why.
function M.ensure()
  if conn and conn.alive() then return true end
  local opts = config.options
  local h, err = handlers(), nil
  if opts.socket then
    conn, err = transport.socket(opts.socket, h)
  elseif vim.fn.executable(config.bin()) ~= 1 then
    return false, 'no workbook binary "' .. config.bin() .. '" (set the bin option or $WORKBOOK_BIN)'
  else
    conn, err = transport.stdio(config.bin(), spawn_args(), h)
  end
  if not conn then return false, err end
  h.transport = conn
  local v = vim.version()
  local info = { name = 'nvim', version = string.format('%d.%d.%d', v.major, v.minor, v.patch) }
  conn.request('initialize', { clientInfo = info }, function(e)
    if e then notify('initialize: ' .. M.describe(e), vim.log.levels.WARN) end
  end)
  M.subscribe(last_cursor)
  return true
end

--- True while a connection is up (never starts one).
function M.connected() return conn ~= nil and conn.alive() end

--- Registers `fn(change)` for every `workbook.changed` notification.
function M.on_change(fn) table.insert(listeners, fn) end

--- Stops the server started by the plugin (or closes the socket). With `forget`, the next
--- connection does not catch up on changes (another server or database may be meant).
function M.stop(forget)
  if conn then conn.close() end
  conn, M.subscription = nil, nil
  if forget then last_cursor = nil end
end

return M
