-- wrk script: every request exchanges the same task token for a downstream access token (RFC 8693 with an RFC 8707
-- resource). The body is built once in init, before timing; each answer is a new lease (stored and audited).
function init(args)
  local body = os.getenv("WRIT_EXCHANGE_BODY")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.body = body
  prepared = wrk.format(nil, "/oauth2/token")
end

function request()
  return prepared
end

function done(summary, latency, requests)
  io.write(string.format("requests=%d non2xx=%d duration_us=%d\n",
    summary.requests, summary.errors.status, summary.duration))
  io.write(string.format("latency_p50_us=%d latency_p99_us=%d\n",
    latency:percentile(50), latency:percentile(99)))
end
