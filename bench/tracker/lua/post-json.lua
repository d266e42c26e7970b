-- Bare server baseline: POST with a small JSON body.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"x":1}'
