-- wrk script for service/bench/load.py: one request shape per run, read from the environment, and a
-- JSON summary on stdout that adds what wrk alone does not count: responses with a status other
-- than the expected one, and the SQL queries the server reported (X-Query-Count) per response.
--   BENCH_METHOD   GET (default) or POST
--   BENCH_BODY     request body (POST)
--   BENCH_COOKIE   Cookie header (session and CSRF cookies of a signed-in user)
--   BENCH_ORIGIN   Origin header (Django's CSRF check compares it with the Host)
--   BENCH_EXPECT   the status every response should have (200, or 302 for a form POST)

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = os.getenv("BENCH_METHOD") or "GET"
  local body = os.getenv("BENCH_BODY")
  if body and body ~= "" then
    wrk.body = body
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  local cookie = os.getenv("BENCH_COOKIE")
  if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
  -- As a browser does: nginx compresses HTML and CSS for it (gzip on in the image's template).
  wrk.headers["Accept-Encoding"] = "gzip, deflate"
  local origin = os.getenv("BENCH_ORIGIN")
  if origin and origin ~= "" then wrk.headers["Origin"] = origin end
  expected = tonumber(os.getenv("BENCH_EXPECT") or "200")
  responses, unexpected, counted, queries, max_queries = 0, 0, 0, 0, 0
  first_unexpected, served_counted, built, cards_rendered = 0, 0, 0, 0
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= expected then
    unexpected = unexpected + 1
    if first_unexpected == 0 then first_unexpected = status end
  end
  local value = headers["X-Query-Count"] or headers["x-query-count"]
  if value then
    local n = tonumber(value)
    counted = counted + 1
    queries = queries + n
    if n > max_queries then max_queries = n end
  end
  -- Timeline pages say whether they came whole from the page cache (service.bench.query_count).
  local served = headers["X-Timeline-Served"] or headers["x-timeline-served"]
  if served then
    served_counted = served_counted + 1
    if served ~= "page" then built = built + 1 end
    cards_rendered = cards_rendered + (tonumber(headers["X-Cards-Rendered"] or
      headers["x-cards-rendered"] or "0") or 0)
  end
end

function done(summary, latency, requests)
  local totals = {responses = 0, unexpected = 0, counted = 0, queries = 0, max_queries = 0,
                  first_unexpected = 0, served_counted = 0, built = 0, cards_rendered = 0}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      local value = thread:get(key) or 0
      if key == "max_queries" then
        if value > totals[key] then totals[key] = value end
      elseif key == "first_unexpected" then
        if totals[key] == 0 then totals[key] = value end
      else
        totals[key] = totals[key] + value
      end
    end
  end
  -- The latency distribution as 1,000 quantiles, so runs split into rounds can be merged.
  local quantiles = {}
  for i = 1, 1000 do
    quantiles[i] = tostring(latency:percentile((i - 0.5) / 10))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
    '"status_errors": %d, "responses": %d, "unexpected": %d, "first_unexpected": %d, ' ..
    '"counted": %d, "queries": %d, "max_queries": %d, "served_counted": %d, "built": %d, ' ..
    '"cards_rendered": %d, "quantiles_us": [%s]}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.timeout, e.status,
    totals.responses, totals.unexpected, totals.first_unexpected,
    totals.counted, totals.queries, totals.max_queries, totals.served_counted, totals.built,
    totals.cards_rendered, table.concat(quantiles, ",")))
end
