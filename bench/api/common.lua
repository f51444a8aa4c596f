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
--   * options(args): the script arguments after wrk's `--`, as `key=value`
--     words (bench/api.sh passes e.g. `run=p100-123 rate=5000 threads=2`).
--   * pace(rate, threads): fixed-rate sending (the "@ N/s" scenarios), with
--     wrk's `delay` hook; see below.

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

function M.options(args)
    local o = {}
    for _, a in ipairs(args or {}) do
        local k, v = string.match(a, "^([%w_]+)=(.*)$")
        if not k then error("script argument `" .. a .. "` is not key=value") end
        o[k] = v
    end
    return o
end

-- A monotonic clock in milliseconds (fractional), through LuaJIT's ffi: wrk's
-- Lua has no wall clock finer than os.time()'s seconds (os.clock() is CPU
-- time). Debian's wrk is built against LuaJIT, so ffi is there; nil if not.
local now_ms
do
    local ok, ffi = pcall(require, "ffi")
    if ok then
        -- pcall: cdef of a type already defined in this Lua state is an error.
        pcall(ffi.cdef, [[
            typedef struct { long tv_sec; long tv_nsec; } accord_timespec;
            int clock_gettime(int clk_id, accord_timespec *tp);
        ]])
        local ts = ffi.new("accord_timespec")
        local CLOCK_MONOTONIC = 1 -- Linux
        now_ms = function()
            ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
            return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
        end
    end
end

-- pace(rate, threads): send `rate` requests/s in total, `rate / threads` from
-- this wrk thread, by defining wrk's global `delay` hook in this thread's Lua
-- state (call it from init(): wrk looks for `delay` after init, and a run
-- without a rate then has no hook at all, so the closed-loop runs are as
-- before).
--
-- How: wrk calls delay() when a connection is ready to send (after connecting,
-- and after each response) and sends that connection's request the returned
-- number of milliseconds later. Each thread keeps ONE schedule of send slots,
-- `threads * 1000 / rate` ms apart, starting when its first connection is
-- ready; every call takes the next slot and waits until it (0 if it is already
-- past). So the connections of a thread take turns on one timeline: they start
-- staggered and cannot drift into lockstep, and a connection waits
-- `connections / rate` s minus its own response time in the steady state, so
-- the achieved rate is the target, not target * delay / (delay + latency) as
-- with a fixed per-connection delay. The slots are evenly spaced (like wrk2's
-- per-connection schedule), not random arrivals.
--
-- This is open-loop-ish pacing, not wrk2: wrk measures latency from the moment
-- a request is written, so the wait in delay() is not counted, and when every
-- connection is busy past its slot, the request goes out late (the schedule
-- catches up by sending at once) and the time it spent waiting for a free
-- connection is not counted either (wrk2 would count it from the slot:
-- coordinated-omission correction). wrk 4's own crude correction (stats_correct,
-- applied to every run, closed loop too) only back-fills samples for latencies
-- of at least twice the mean per-connection interval. With a target met and
-- latencies well under `connections / rate`, the two measures agree.
function M.pace(rate, threads)
    rate, threads = tonumber(rate), tonumber(threads)
    if not rate or rate <= 0 or not threads or threads < 1 then
        error("pace: need rate > 0 and threads >= 1, got rate=" .. tostring(rate) .. " threads=" .. tostring(threads))
    end
    if not now_ms then
        error("pace: LuaJIT's ffi is not available in this wrk (no clock for the schedule)")
    end
    local interval = threads * 1000 / rate -- ms between this thread's sends
    local next_slot = nil
    delay = function()
        local now = now_ms()
        if next_slot == nil then next_slot = now end
        local slot = next_slot
        next_slot = next_slot + interval
        local wait = slot - now
        -- wrk takes whole milliseconds; rounding keeps the mean on the schedule.
        if wait <= 0.5 then return 0 end
        return math.floor(wait + 0.5)
    end
end

return M
