-- wrk: GET with a bearer token (the URL names the task). BENCH_TOKEN, BENCH_OUT from the environment.
package.path = os.getenv("BENCH_LIB") .. "/?.lua;" .. package.path
local report = require("report")

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Accept"] = "application/json"

done = report.done
