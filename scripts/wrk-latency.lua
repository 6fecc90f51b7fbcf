-- Prints latency percentiles (including p95, which wrk's --latency omits)
-- and the count of non-2xx answers, as one line each.
done = function(summary, latency, requests)
  io.write(string.format("requests %d  errors(non-2xx/3xx) %d  timeouts %d\n",
    summary.requests, summary.errors.status, summary.errors.timeout))
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("p%d %.1f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max %.1f ms\n", latency.max / 1000))
end
