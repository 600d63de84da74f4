// Bootstrap v3: Groundwork's own counters for Auth rate limits, kept in the database so that
// every node behind a load balancer counts the same requests.
export const rateLimits = /* sql */ `
create table if not exists _groundwork.rate_limits (
  key text primary key,
  window_start timestamptz not null,
  hits integer not null
);
`;
