-- Commands of workbook.nvim; the modules load on first use.
if vim.g.loaded_workbook then return end
vim.g.loaded_workbook = true

local function command(name, fn, opts)
  vim.api.nvim_create_user_command(name, function(args) require('workbook')[fn](args.args, args) end, opts or {})
end

command('Workbook', 'outline', { nargs = '?', desc = 'Workbook outline with progress per section' })
command('WorkbookNext', 'next', { desc = 'Open the next open prompt' })
command('WorkbookOpen', 'open', { nargs = 1, desc = 'Open a prompt by id' })
command('WorkbookFinal', 'final', { desc = 'Save the answer and mark it final' })
command('WorkbookDraft', 'draft', { desc = 'Save the answer and mark it a draft' })
command('WorkbookSkip', 'skip', { nargs = '?', desc = 'Skip this prompt (optional reason)' })
command('WorkbookTheirs', 'theirs', { desc = 'After a conflict: take the other version' })
command('WorkbookStop', 'stop', { desc = 'Stop the workbook server started by the plugin' })
