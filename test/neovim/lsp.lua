-- Headless Neovim (0.7+) as an independent LSP client of review-protocol-server.
-- Usage: nvim --headless --clean -c 'luafile test/neovim/lsp.lua' -- SERVER PROTOCOL OUT
-- Writes a JSON report to OUT: the diagnostics, a hover and a completion.
local args = vim.v.argv
local server, protocol, out
for i, a in ipairs(args) do
  if a == "--" then server, protocol, out = args[i + 1], args[i + 2], args[i + 3] end
end
local report = { ok = false }
local function finish()
  local f = io.open(out, "w")
  f:write(vim.fn.json_encode(report))
  f:close()
  vim.cmd("qa!")
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(protocol))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "review-protocol",
    cmd = { "node", server, "--stdio" },
    root_dir = vim.fn.fnamemodify(protocol, ":p:h:h"),
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  report.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(report.diagnostics, { code = d.code, severity = d.severity, lnum = d.lnum, col = d.col, message = d.message })
  end
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local function find(pattern)
    for i, l in ipairs(lines) do
      local s = string.find(l, pattern, 1, true)
      if s then return i - 1, s - 1 end
    end
  end
  local uri = vim.uri_from_bufnr(bufnr)
  local line, col = find("cite: baxter2025")
  local hover = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", { textDocument = { uri = uri }, position = { line = line, character = col + 8 } }, 10000)
  for _, r in pairs(hover or {}) do
    if r.result and r.result.contents then report.hover = r.result.contents.value end
  end
  line, col = find("judgement: low, support: none identified")
  local completion = vim.lsp.buf_request_sync(bufnr, "textDocument/completion", { textDocument = { uri = uri }, position = { line = line, character = col + 11 } }, 10000)
  report.completion = {}
  for _, r in pairs(completion or {}) do
    local items = r.result and (r.result.items or r.result) or {}
    for _, item in ipairs(items) do table.insert(report.completion, item.label) end
  end
  report.ok = true
end)
if not ok then report.error = tostring(err) end
finish()
