-- bench/api/get.lua — a plain GET of the URL given to wrk (headers from wrk -H).
-- No `response` hook: wrk counts statuses >= 400 itself (see common.lua).
-- Script arguments (after wrk's `--`, optional): rate=N threads=T — send N
-- requests/s in total from T wrk threads (common.pace) instead of closed loop.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

setup = common.setup
done = common.done

function init(args)
    local o = common.options(args)
    if o.rate then common.pace(o.rate, o.threads) end
end
