-- wrk script for `make loadtest`: weighted GET requests read from a plan file.
-- Each plan line is "weight<TAB>label<TAB>path<TAB>cookie" (cookie may be empty).
-- Usage: wrk -s wrk.lua http://127.0.0.1:PORT -- PLAN_FILE [SEED]
local entries, total = {}, 0
local threads, counter = {}, 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local weight, _label, path, cookie = line:match("^(%d+)\t([^\t]*)\t([^\t]+)\t?(.*)$")
    if weight then
      total = total + tonumber(weight)
      local headers = {}
      if cookie ~= "" then
        headers["Cookie"] = cookie
      end
      entries[#entries + 1] = { limit = total, request = wrk.format("GET", path, headers) }
    end
  end
  -- Each thread draws its own reproducible sequence.
  math.randomseed(tonumber(args[2] or "2017") + (thread_number or 0))
end

function request()
  local pick = math.random(total)
  local low, high = 1, #entries
  while low < high do
    local middle = math.floor((low + high) / 2)
    if entries[middle].limit < pick then
      low = middle + 1
    else
      high = middle
    end
  end
  return entries[low].request
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LOADTEST {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max
  ))
end
