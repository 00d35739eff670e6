-- wrk script for bench/load/gateway.sh: POST one MCP tools/call to the URL's own path, the same body every time.
-- WRIT_TOKEN (optional) is sent as a bearer token; WRIT_BODY is the JSON-RPC request.
function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json, text/event-stream"
  local token = os.getenv("WRIT_TOKEN")
  if token ~= nil and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
  wrk.body = os.getenv("WRIT_BODY")
end

function done(summary, latency, requests)
  io.write(string.format("requests=%d non2xx=%d errors=%d duration_us=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
