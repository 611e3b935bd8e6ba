-- wrk script: alternating POST /alloc?M=16 and POST /dealloc?tag=<the tag just returned>,
-- so the heap stays small and every request succeeds. Usage:
--   wrk -t2 -c16 -d10s -s Benchmarks/http/alloc-dealloc.lua --latency http://127.0.0.1:8080
local pending = nil
request = function()
  if pending then
    local tag = pending
    pending = nil
    return wrk.format("POST", "/dealloc?tag=" .. tag)
  end
  return wrk.format("POST", "/alloc?M=16")
end
response = function(status, headers, body)
  if status == 201 then pending = body:gsub("%s+", "") end
end
