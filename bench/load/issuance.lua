-- wrk script: each request presents a fresh, pre-signed RFC 7523 assertion at /oauth2/token.
-- Threads take disjoint slices of the assertion file, so no assertion is replayed.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("WRIT_ASSERTIONS")
  local audience = os.getenv("WRIT_AUDIENCE") or "bench"
  local total = tonumber(os.getenv("WRIT_THREADS") or "1")
  assertions = {}
  local n = 0
  for line in io.lines(path) do
    if n % total == id then table.insert(assertions, line) end
    n = n + 1
  end
  next_index = 1
  prefix = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&audience=" .. audience .. "&assertion="
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  local a = assertions[next_index]
  if a == nil then
    -- Out of fresh assertions: stop this thread rather than replay one.
    wrk.thread:stop()
    a = assertions[1]
  end
  next_index = next_index + 1
  return wrk.format(nil, "/oauth2/token", nil, prefix .. a)
end

function done(summary, latency, requests)
  io.write(string.format("requests=%d non2xx=%d duration_us=%d\n",
    summary.requests, summary.errors.status, summary.duration))
  io.write(string.format("latency_p50_us=%d latency_p99_us=%d\n",
    latency:percentile(50), latency:percentile(99)))
end
