-- Fixed-window request counters shared by every process and host on this database, so that a
-- limit (sign-ups, token requests per client IP) holds across `--workers N` and a load balancer.
CREATE TABLE IF NOT EXISTS rate_limit_hits (
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX IF NOT EXISTS rate_limit_hits_window_idx ON rate_limit_hits (window_start);

GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_hits TO samplit_app, samplit_system;
