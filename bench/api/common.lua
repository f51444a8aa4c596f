-- bench/api/common.lua — shared by the wrk scripts of bench/api.sh.
--
-- What it adds to wrk:
--   * setup(): numbers the threads (thread id `tid`, 1..N) and keeps them, so
--     done() can collect per-thread counters (each wrk thread has its own Lua
--     state; done() runs in the main one and reads them with thread:get).
--   * done(): prints ONE machine-readable line, `ACCORD_BENCH k=v ...`, with
--     wrk's own totals and latency percentiles in microseconds, which
--     bench/api.sh parses (no scraping of wrk's human-readable report).
--   * count_response(): per-status counters and the first non-2xx body, for
--     scripts that define wrk's `response` hook. Defining that hook makes wrk
--     hand every body to Lua (client CPU that the server does not get on a
--     2-core machine), so only the proposals script uses it; the read scripts
--     rely on wrk's own count of statuses >= 400 (summary.errors.status).

local M = {}
local threads = {}

function M.setup(thread)
    thread:set("tid", #threads + 1)
    table.insert(threads, thread)
end

-- Called from a script's response hook (runs in the thread's Lua state).
statuses = {}
sample = nil
function M.count_response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
    if (status < 200 or status > 299) and sample == nil then
        sample = status .. " " .. string.sub(body or "", 1, 300)
    end
end

function M.done(summary, latency, requests)
    local merged, samples = {}, {}
    for _, t in ipairs(threads) do
        local s = t:get("statuses")
        if type(s) == "table" then
            for code, n in pairs(s) do merged[code] = (merged[code] or 0) + n end
        end
        local smp = t:get("sample")
        if smp then table.insert(samples, smp) end
    end
    local codes = {}
    for code, n in pairs(merged) do table.insert(codes, code .. ":" .. n) end
    table.sort(codes)
    local e = summary.errors
    local secs = summary.duration / 1e6
    io.write(string.format(
        "ACCORD_BENCH requests=%d duration_s=%.3f rps=%.1f bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f "
            .. "err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d statuses=%s\n",
        summary.requests, secs, summary.requests / secs, summary.bytes,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
        e.connect, e.read, e.write, e.timeout, e.status,
        (#codes > 0) and table.concat(codes, ",") or "-"))
    for _, smp in ipairs(samples) do
        io.write("ACCORD_SAMPLE " .. string.gsub(smp, "\n", " ") .. "\n")
    end
end

return M
