-- Memory check: 10,000 requests in all, then stop (run with -t2: 5,000 a thread).
local per_thread = 5000

init = function(args)
  sent = 0
end

request = function()
  sent = sent + 1
  if sent > per_thread then
    wrk.thread:stop()
  end
  return wrk.format(nil)
end
