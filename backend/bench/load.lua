-- wrk script for the benchmark. Each request picks a random line of BENCH_PATHS (so fetches hit
-- random records), sends BENCH_METHOD with the bearer token BENCH_TOKEN and, if BENCH_BODY names a
-- file, that file as a JSON body. At the end one JSON line with the figures (times in µs;
-- http_errors is wrk's count of answers with a status of 400 or more).
-- (No response() hook: defining one makes wrk hand every response to Lua, which slows the client.)

local method = os.getenv("BENCH_METHOD") or "GET"
local token = os.getenv("BENCH_TOKEN")
local body = nil
local paths = {}

for line in io.lines(os.getenv("BENCH_PATHS")) do
  paths[#paths + 1] = line
end
if os.getenv("BENCH_BODY") then
  local file = io.open(os.getenv("BENCH_BODY"), "rb")
  body = file:read("*a")
  file:close()
end

local headers = {}
if token then headers["Authorization"] = "Bearer " .. token end
if body then headers["Content-Type"] = "application/json" end

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end

function request()
  return wrk.format(method, paths[math.random(#paths)], headers, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "socket_errors": %d, "http_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
