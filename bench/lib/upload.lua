-- wrk: multipart POST of one file (part "fileName") plus "newFormat", with a bearer token.
-- BENCH_FILE, BENCH_FORMAT, BENCH_TOKEN (optional: the sink ignores it), BENCH_OUT from the environment.
package.path = os.getenv("BENCH_LIB") .. "/?.lua;" .. package.path
local report = require("report")

local boundary = "----cctbench7MA4YWxkTrZu0gW"
local f = assert(io.open(os.getenv("BENCH_FILE"), "rb"))
local content = f:read("*a")
f:close()
local name = os.getenv("BENCH_FILE"):match("([^/]+)$")

wrk.method = "POST"
wrk.body = "--" .. boundary .. "\r\n" ..
  'Content-Disposition: form-data; name="newFormat"\r\n\r\n' .. os.getenv("BENCH_FORMAT") .. "\r\n" ..
  "--" .. boundary .. "\r\n" ..
  'Content-Disposition: form-data; name="fileName"; filename="' .. name .. '"\r\n' ..
  "Content-Type: application/octet-stream\r\n\r\n" .. content .. "\r\n" ..
  "--" .. boundary .. "--\r\n"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

done = report.done
