-- What wrk runs for bench/driver.py (not run by hand).
-- Its argument (after `--`) is a file of requests, one a line: a path, a tab, the Cookie header
-- of a signed-in session. Each request takes the next line in turn, so the sessions and their
-- pages rotate. Production cookies are Secure and this is plain http on loopback: the cookies
-- go in by hand, and X-Forwarded-Proto tells Django (SECURE_PROXY_SSL_HEADER) it is https.
-- At the end one line goes to stdout: "RESULT " and the figures as JSON.

local lines = {}
local index = 0
local threads = {}
not_ok = 0
statuses = ""

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t(.*)$")
    table.insert(lines, wrk.format("GET", path, {
      ["Cookie"] = cookie,
      ["X-Forwarded-Proto"] = "https",
      ["User-Agent"] = "followup-load-bench",
    }))
  end
end

function request()
  index = index % #lines + 1
  return lines[index]
end

function response(status, headers, body)
  -- Anything but 200 is an error: a redirect here is the login page (the session was lost).
  if status ~= 200 then
    not_ok = not_ok + 1
    if #statuses < 200 then statuses = statuses .. status .. " " end
  end
end

function done(summary, latency, requests)
  local not_200, seen = 0, ""
  for _, thread in ipairs(threads) do
    not_200 = not_200 + thread:get("not_ok")
    seen = seen .. thread:get("statuses")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "not_200": %d, "statuses": "%s", ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, not_200, seen, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean))
end
