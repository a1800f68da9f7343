-- Headless tests of workbook.nvim against the real `workbook` binary and a real database.
-- Run: WORKBOOK_BIN=... nvim --headless -u NONE -i NONE -n --cmd 'set rtp^=clients/nvim' \
--        -c 'luafile clients/nvim/tests/workbook_spec.lua'   (or clients/nvim/run-tests.sh)
local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/harness.lua')
local api = vim.api
vim.cmd('runtime plugin/workbook.lua')

-- Given a fresh database, When :WorkbookNext, Then the first prompt is open with its context.
local function open_next()
  vim.cmd('WorkbookNext')
  local buf = api.nvim_get_current_buf()
  local st = require('workbook.prompt').buffers[buf]
  H.ok(st, 'the current buffer is an answer buffer')
  return buf, st
end

local function answer_in_db(db, promptId)
  return H.call(db, 'answers.get', { promptId = promptId })
end

H.test('WorkbookNext opens the next prompt with its context above, read-only', function()
  H.start()
  local buf, st = open_next()
  H.eq('workbook://' .. st.promptId, api.nvim_buf_get_name(buf), 'buffer name')
  H.eq({ '' }, H.lines(buf), 'empty answer area')
  H.eq('acwrite', vim.bo[buf].buftype, 'buftype')
  local ctx_win = st.ctx_win
  H.ok(ctx_win and api.nvim_win_is_valid(ctx_win), 'a context window is shown')
  local ctx = table.concat(H.lines(st.ctx_buf), '\n')
  H.ok(ctx:find(st.view.prompt.text, 1, true), 'the context window shows the question')
  H.ok(ctx:find(st.view.contexts[1].text, 1, true), 'the context window shows the framing paragraph')
  H.eq(false, vim.bo[st.ctx_buf].modifiable, 'context is not modifiable')
  local row = api.nvim_win_get_position(ctx_win)[1]
  H.ok(row < api.nvim_win_get_position(0)[1], 'context is above the answer')
end)

H.test(':w saves exactly the buffer text as a draft; :WorkbookFinal marks it final', function()
  local _, db = H.start()
  local buf, st = open_next()
  local text = 'Folks who are “erased” — first line\n\nsecond paragraph, ünïcödé'
  local keys = 'i' .. text:gsub('\n', '<CR>') .. '<Esc>:w<CR>'
  api.nvim_feedkeys(api.nvim_replace_termcodes(keys, true, false, true), 'xt', false)
  local saved = answer_in_db(db, st.promptId)
  H.eq(text, saved.text, 'saved text')
  H.eq('draft', saved.status, 'status after :w')
  H.eq('nvim', saved.client, 'client name')
  H.eq(false, vim.bo[buf].modified, 'buffer is saved')
  vim.cmd('WorkbookFinal')
  saved = answer_in_db(db, st.promptId)
  H.eq('final', saved.status, 'status after :WorkbookFinal')
  H.eq(2, saved.revision, 'revision after :WorkbookFinal')
  local workbook = require('workbook')
  H.wait_for('the statusline', function() return workbook.statusline() == 'solidarity 1/22' end)
end)

H.test('a conflicting save shows both versions and overwrites nothing; :w! keeps mine', function()
  local _, db = H.start()
  local buf, st = open_next()
  api.nvim_buf_set_lines(buf, 0, -1, false, { 'first' })
  vim.cmd('write')
  H.call(db, 'answers.save', { promptId = st.promptId, text = 'written in the browser', expectedRevision = 1 })
  api.nvim_buf_set_lines(buf, 0, -1, false, { 'my edit' })
  vim.cmd('write')
  local cbuf = require('workbook.conflict').buffer(buf)
  H.ok(cbuf and vim.fn.bufwinid(cbuf) ~= -1, 'a conflict buffer is shown')
  local shown = table.concat(H.lines(cbuf), '\n')
  H.ok(shown:find('=====\nwritten in the browser\n', 1, true), 'conflict shows their version')
  local mine = '===== yours (unsaved, still in your buffer) =====\nmy edit'
  H.eq(mine, shown:sub(-#mine), 'conflict shows my version last')
  H.eq('written in the browser', answer_in_db(db, st.promptId).text, 'database unchanged')
  H.eq({ 'my edit' }, H.lines(buf), 'my text is still in the buffer')
  H.eq(true, vim.bo[buf].modified, 'buffer still modified')
  H.ok(H.messages[#H.messages]:find('nothing was overwritten', 1, true), 'the user is told')
  vim.cmd('write!')
  local saved = answer_in_db(db, st.promptId)
  H.eq({ 'my edit', 3 }, { saved.text, saved.revision }, 'overwritten on purpose with :w!')
  H.eq(nil, require('workbook.conflict').buffer(buf), 'conflict buffer closed')
end)

H.test(':WorkbookTheirs takes the other version after a conflict', function()
  local _, db = H.start()
  local buf, st = open_next()
  H.call(db, 'answers.save', { promptId = st.promptId, text = 'theirs', expectedRevision = 0 })
  api.nvim_buf_set_lines(buf, 0, -1, false, { 'mine' })
  vim.cmd('write')
  H.ok(require('workbook.conflict').buffer(buf), 'conflict shown')
  vim.cmd('WorkbookTheirs')
  H.eq({ 'theirs' }, H.lines(buf), 'their text in the buffer')
  H.eq(false, vim.bo[buf].modified, 'buffer matches the database')
  H.eq(1, st.revision, 'revision taken over')
end)

H.test(':Workbook lists sections with progress and opens a prompt with <CR>', function()
  local _, db = H.start()
  local doc = H.call(db, 'workbooks.get', { workbookId = 'solidarity' })
  local first_section = doc.items[1]
  local first_prompt
  for _, item in ipairs(first_section.items) do
    if item.kind == 'prompt' then first_prompt = first_prompt or item end
  end
  H.call(db, 'answers.save', { promptId = first_prompt.id, text = 'done', status = 'final' })
  vim.cmd('Workbook')
  local outline = require('workbook.outline')
  local lines = H.lines(outline.buf)
  H.ok(lines[1]:find('1/22 final', 1, true), 'header shows overall progress: ' .. lines[1])
  local section_line = vim.tbl_filter(function(l) return l:find(first_section.title, 1, true) end, lines)[1]
  H.ok(section_line and section_line:find('1/4', 1, true), 'section shows 1/4: ' .. tostring(section_line))
  local row
  for r, id in pairs(outline.rows) do if id == first_prompt.id then row = r end end
  H.ok(lines[row]:find('[x]', 1, true), 'final prompt is marked [x]')
  api.nvim_win_set_cursor(0, { row + 1, 0 })
  api.nvim_feedkeys(api.nvim_replace_termcodes('<CR>', true, false, true), 'x', false)
  local st = require('workbook.prompt').buffers[api.nvim_get_current_buf()]
  H.eq(outline.rows[row + 1], st and st.promptId, 'the prompt under the cursor is open')
end)

H.test('over the socket (NDJSON), changes from another client refresh an open buffer', function()
  local db, sock = H.database(), H.tmp .. '/live.sock'
  local job = vim.fn.jobstart({ H.bin, 'serve', '--socket', sock, '--database', db })
  H.wait_for('the socket to accept', function()
    local ok, chan = pcall(vim.fn.sockconnect, 'pipe', sock)
    if ok and chan > 0 then vim.fn.chanclose(chan) end
    return ok and chan > 0
  end)
  local ok, err = pcall(function()
    H.start({ socket = sock })
    local buf, st = open_next()
    H.wait_for('the subscription', function() return require('workbook.client').subscription ~= nil end)
    H.call(sock, 'answers.save', { promptId = st.promptId, text = 'typed in the browser' })
    H.wait_for('the buffer to refresh', function() return H.lines(buf)[1] == 'typed in the browser' end)
    H.eq(false, vim.bo[buf].modified, 'refreshed buffer is unmodified')
    api.nvim_buf_set_lines(buf, 0, -1, false, { 'my unsaved edit' })
    H.call(sock, 'answers.save', { promptId = st.promptId, text = 'again from the browser', expectedRevision = 1 })
    H.wait_for('the change to be noticed', function() return st.remote ~= nil end)
    H.eq({ 'my unsaved edit' }, H.lines(buf), 'unsaved edits are never replaced')
  end)
  H.reset()
  vim.fn.jobstop(job)
  if not ok then error(err, 0) end
end)

H.test('a restore under an open buffer reloads it and resubscribes from the new head', function()
  local db, sock, backup = H.database(), H.tmp .. '/restore.sock', H.tmp .. '/backup.sqlite'
  local job = vim.fn.jobstart({ H.bin, 'serve', '--socket', sock, '--database', db })
  H.wait_for('the socket to accept', function()
    local ok, chan = pcall(vim.fn.sockconnect, 'pipe', sock)
    if ok and chan > 0 then vim.fn.chanclose(chan) end
    return ok and chan > 0
  end)
  local ok, err = pcall(function()
    -- Given an open buffer whose answer was saved, backed up, then saved again elsewhere
    H.start({ socket = sock })
    local client = require('workbook.client')
    local buf, st = open_next()
    H.wait_for('the subscription', function() return client.subscription ~= nil end)
    H.call(sock, 'answers.save', { promptId = st.promptId, text = 'in the backup' })
    H.wait_for('the first save', function() return H.lines(buf)[1] == 'in the backup' end)
    local _, code = H.cli({ 'backup', backup, '--database', db })
    H.eq(0, code, 'workbook backup')
    H.call(sock, 'answers.save', { promptId = st.promptId, text = 'after the backup' })
    H.wait_for('the second save', function() return H.lines(buf)[1] == 'after the backup' end)
    local old = client.subscription.subscriptionId
    -- When another process restores the backup into the served database
    _, code = H.cli({ 'restore', backup, '--database', db })
    H.eq(0, code, 'workbook restore')
    -- Then the buffer shows the restored answer, and the plugin subscribed again
    H.wait_for('the buffer to show the restored answer', function() return H.lines(buf)[1] == 'in the backup' end)
    H.eq(1, st.revision, 'the revision is the restored one')
    H.wait_for('a new subscription', function()
      return client.subscription ~= nil and client.subscription.subscriptionId ~= old
    end)
    H.eq(2, client.subscription.cursor, 'subscribed at the restored head, not from the old cursor')
    -- And live changes of the restored database still arrive
    H.call(sock, 'answers.save', { promptId = st.promptId, text = 'live after the restore' })
    H.wait_for('a live change after the restore', function() return H.lines(buf)[1] == 'live after the restore' end)
  end)
  H.reset()
  vim.fn.jobstop(job)
  if not ok then error(err, 0) end
end)

H.run()
