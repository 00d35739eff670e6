-- wrk script: POST one AuthZEN access evaluation, the same body every time.
-- WRIT_TOKEN (optional) is sent as a bearer token; WRIT_PATH is the evaluation path.
function init(args)
  wrk.method = "POST"
  wrk.path = os.getenv("WRIT_PATH") or "/access/v1/evaluation"
  wrk.headers["Content-Type"] = "application/json"
  local token = os.getenv("WRIT_TOKEN")
  if token ~= nil and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
  wrk.body = os.getenv("WRIT_BODY")
end

function done(summary, latency, requests)
  io.write(string.format("requests=%d non2xx=%d duration_us=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.errors.status, summary.duration, latency:percentile(50), latency:percentile(99)))
end
