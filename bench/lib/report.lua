-- Shared by the wrk scripts: at the end, write one JSON object with throughput, latency
-- percentiles (milliseconds) and errors to the file named by BENCH_OUT.
local M = {}

function M.done(summary, latency, requests)
  local out = os.getenv("BENCH_OUT")
  if not out then return end
  local secs = summary.duration / 1e6
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local f = assert(io.open(out, "w"))
  f:write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.2f,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"total":%d},' ..
    '"error_rate":%.6f,' ..
    '"latency_ms":{"mean":%.2f,"p50":%.2f,"p90":%.2f,"p95":%.2f,"p99":%.2f,"max":%.2f}}\n',
    summary.requests, secs, summary.requests / secs, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, errors,
    summary.requests > 0 and errors / summary.requests or 0,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  f:close()
end

return M
