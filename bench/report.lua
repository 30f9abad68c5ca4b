-- wrk reporter: one JSON line with throughput and latency percentiles (ms).
-- Optional header from the environment-free argument list: wrk ... -- "If-None-Match: x"
init = function(args)
  for _, h in ipairs(args) do
    local k, v = h:match("^([^:]+):%s*(.*)$")
    if k then wrk.headers[k] = v end
  end
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local non2xx = summary.errors.status
  io.write(string.format(
    'WRKJSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "errors": %d, "non2xx": %d}\n',
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    non2xx))
end
