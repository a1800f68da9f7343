-- A tiny test harness for `nvim --headless`: named tests, assertions, a fresh plugin and
-- database per test, and the `workbook` CLI to check what reached the database.
local H = {}

H.bin = assert(vim.env.WORKBOOK_BIN, 'WORKBOOK_BIN must name the workbook binary')
H.tmp = vim.fn.tempname()
vim.fn.mkdir(H.tmp, 'p')

local tests, counter = {}, 0

-- What the plugin tells the user, kept for assertions and shown when a test fails.
H.messages = {}
vim.notify = function(msg) table.insert(H.messages, msg) end

--- Registers a test.
function H.test(name, fn) table.insert(tests, { name = name, fn = fn }) end

--- Fails unless `actual` equals `expected` (deep comparison).
function H.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(string.format('%s: expected %s, got %s', what or 'value', vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

--- Fails unless `cond` holds.
function H.ok(cond, what)
  if not cond then error((what or 'condition') .. ' does not hold', 2) end
end

--- Waits (without sleeping blindly) until `predicate()` is true; fails after `ms`.
function H.wait_for(what, predicate, ms)
  if not vim.wait(ms or 5000, predicate, 10) then error('timed out waiting for ' .. what, 2) end
end

--- A new database path in the test's temp directory.
function H.database()
  counter = counter + 1
  return string.format('%s/db%d.sqlite', H.tmp, counter)
end

--- Runs `workbook ARGS...`: returns the decoded stdout (or the raw text), the exit code.
function H.cli(args)
  local out = vim.fn.system(vim.list_extend({ H.bin }, args))
  local code = vim.v.shell_error
  local ok, decoded = pcall(vim.json.decode, out, { luanil = { object = true } })
  return ok and decoded or out, code
end

--- `workbook call METHOD PARAMS --database DB` (or `--socket`), checked to succeed.
function H.call(target, method, params)
  local flag = target:match('%.sock$') and '--socket' or '--database'
  local result, code = H.cli({ 'call', method, vim.json.encode(params), flag, target })
  if code ~= 0 then error(string.format('workbook call %s failed (%d): %s', method, code, vim.inspect(result)), 2) end
  return result
end

--- Forgets every plugin module and buffer, so the next test starts from scratch.
function H.reset()
  local loaded = package.loaded['workbook.client']
  if loaded then
    loaded.stop()
    vim.wait(2000, function() return not loaded.connected() end, 10)
  end
  vim.cmd('silent! %bwipeout!')
  vim.cmd('silent! only')
  for name in pairs(package.loaded) do
    if name == 'workbook' or name:match('^workbook%.') then package.loaded[name] = nil end
  end
end

--- A fresh plugin on a fresh database (stdio server), or with `opts` (e.g. a socket).
function H.start(opts)
  H.reset()
  opts = opts or { database = H.database() }
  opts.bin = H.bin
  local workbook = require('workbook')
  workbook.setup(opts)
  return workbook, opts.database
end

--- Lines of a buffer.
function H.lines(buf) return vim.api.nvim_buf_get_lines(buf, 0, -1, false) end

--- Runs every test, prints one line each and a summary, and quits with 0 or 1.
function H.run()
  local passed, failed = 0, 0
  for _, t in ipairs(tests) do
    H.messages = {}
    local ok, err = xpcall(t.fn, debug.traceback)
    if ok then
      passed = passed + 1
      io.stdout:write('ok   ' .. t.name .. '\n')
    else
      failed = failed + 1
      local report = tostring(err) .. '\nmessages:\n' .. table.concat(H.messages, '\n')
      io.stdout:write('FAIL ' .. t.name .. '\n  ' .. report:gsub('\n', '\n  ') .. '\n')
    end
  end
  H.reset()
  vim.fn.delete(H.tmp, 'rf')
  if #tests == 0 then
    -- A spec that registers nothing must not pass.
    io.stdout:write('FAIL no test was registered\n')
    failed = 1
  end
  io.stdout:write(string.format('nvim: %d passed, %d failed\n', passed, failed))
  vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
end

return H
