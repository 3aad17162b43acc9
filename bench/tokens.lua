-- make bench: fetches the petition page over and over and keeps each page's
-- single-use csrf token, one file per wrk thread (PREFIX.ID), for sign.lua.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  out = io.open(args[1] .. "." .. id, "w")
end
function response(status, headers, body)
  local token = body:match('name="csrf" value="([^"]+)"')
  if token then out:write(token, "\n"); out:flush() end
end
