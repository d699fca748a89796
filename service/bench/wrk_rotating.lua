-- wrk script for many viewers: service/bench/wrk.lua (its environment, counters and JSON summary), plus
-- every request carries the next line of BENCH_COOKIE_FILE as its Cookie header, so the
-- connections take turns among as many signed-in sessions as the file holds.
--   BENCH_WRK_LUA      path of service/bench/wrk.lua
--   BENCH_COOKIE_FILE  one Cookie header value per line (service/bench/sessions.py writes it)

dofile(os.getenv("BENCH_WRK_LUA"))

local plain_setup, plain_init = setup, init
local thread_count = 0

function setup(thread)
  plain_setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  plain_init(args)
  cookies = {}
  for line in io.lines(os.getenv("BENCH_COOKIE_FILE")) do
    if line ~= "" then table.insert(cookies, line) end
  end
  -- Threads start at different sessions, so they do not walk the file in step.
  position = ((thread_number or 0) * 97) % #cookies
  headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
end

function request()
  position = position % #cookies + 1
  headers["Cookie"] = cookies[position]
  return wrk.format(nil, nil, headers)
end
