-- Options of the workbook plugin and their defaults; `setup()` merges user options in.
local M = {}

local defaults = {
  -- The `workbook` executable (env WORKBOOK_BIN wins over PATH lookup).
  bin = nil,
  -- Connect to a running server on this Unix socket (NDJSON) instead of starting
  -- `workbook serve --stdio` (Content-Length framing). Env WORKBOOK_SOCKET is not used on
  -- purpose: a socket is an explicit choice.
  socket = nil,
  -- Database file for the server started by the plugin (nil: the server's default,
  -- which honours WORKBOOK_DATABASE).
  database = nil,
  -- Extra arguments for `workbook serve --stdio`, e.g. { "--packs", "~/packs" }.
  serve_args = {},
  -- The workbook to open (nil: the server's default workbook).
  workbook = nil,
  -- Milliseconds to wait for a reply before giving up.
  timeout = 5000,
  -- Marks used in the outline for each answer status.
  marks = { final = '[x]', draft = '[~]', skipped = '[-]', open = '[ ]' },
  -- Keep listening for changes made by other clients (browser, CLI) and refresh buffers.
  live = true,
}

M.options = vim.deepcopy(defaults)

--- Merges `opts` over the defaults (a fresh copy each time, so tests can call setup twice).
function M.setup(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  return M.options
end

--- The executable to run: option `bin`, else $WORKBOOK_BIN, else `workbook` on PATH.
function M.bin()
  local env = vim.env.WORKBOOK_BIN
  return M.options.bin or (env ~= nil and env ~= '' and env) or 'workbook'
end

return M
