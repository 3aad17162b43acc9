-- make bench: POSTs signatures, each with its own fresh csrf token (from tokens.lua)
-- and address; counts the 303s (every one durable before it is sent) and the rest.
-- Arguments: PREFIX PATH RUN (RUN keeps addresses unique across runs)
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  tokens = {}
  for line in io.lines(args[1] .. "." .. id) do tokens[#tokens + 1] = line end
  path = args[2]
  run = args[3] or "0"
  n, acked, other = 0, 0, 0
end
function request()
  n = n + 1
  local token = tokens[n] or "exhausted"
  local body = "csrf=" .. token .. "&name=Bench+Signer&email=r" .. run .. "t" .. id .. "n" .. n .. "%40example.org&organisation=Union&city=Leeds"
  return wrk.format("POST", path, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
function response(status)
  if status == 303 then acked = acked + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local a, o = 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("acked")
    o = o + thread:get("other")
  end
  io.write(string.format("acked %d other %d seconds %.3f p50-ms %.2f p99-ms %.2f\n",
    a, o, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
