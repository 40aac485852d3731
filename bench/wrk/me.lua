-- Closed-loop GET /me for wrk: each request carries the next access token from a file, one token a line.
-- BENCH_PATH, if set, is the path asked instead of /me (GET /auth/check, forward auth's row).
-- Environment: BENCH_TOKENS (the file), BENCH_PORTS (loopback ports; threads are dealt out over them in turn,
-- so with two Api hosts and two threads each host gets half the connections), BENCH_OUT (summary JSON written
-- by done()). Requests are formatted once in init(), so the client spends nothing per request on Lua strings.

local counter = 0

function setup(thread)
  local ports = {}
  for port in string.gmatch(os.getenv("BENCH_PORTS") or "", "%d+") do
    ports[#ports + 1] = port
  end
  if #ports > 0 then
    thread.addr = wrk.lookup("127.0.0.1", ports[(counter % #ports) + 1])[1]
  end
  thread:set("id", counter)
  counter = counter + 1
end

local requests = {}
local next_request = 1

function init(args)
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if #line > 0 then
      requests[#requests + 1] = wrk.format("GET", os.getenv("BENCH_PATH") or "/me", { ["Authorization"] = "Bearer " .. line })
    end
  end
  -- Threads start at different tokens, so they do not walk the same users in step.
  next_request = ((id or 0) * 7919) % #requests + 1
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  local out = io.open(os.getenv("BENCH_OUT"), "w")
  out:write(string.format(
    '{"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,"timeouts":%d,' ..
    '"meanUs":%.1f,"maxUs":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"p999Us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
  out:close()
end
