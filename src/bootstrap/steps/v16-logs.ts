// Bootstrap v16: the log store (src/logs/), one table every node writes its observations to
// in batches, so one log covers a cluster. Only Groundwork's admin connection reads it.
// - UNLOGGED on a PostgreSQL server: logs are not worth WAL, replication and fsync; a server
//   crash empties the table, and stdout keeps the lines. On the embedded database it stays
//   logged: its worker's restart (a transaction past its timeout) runs crash recovery, which
//   would empty the log exactly when it is needed to explain the timeout.
// - Indexes serve the reads (src/logs/query.ts): by time, by service and time, by request
//   or trace id (partial: many entries have neither).
export const logs = /* sql */ `
create table if not exists _groundwork.logs (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  node text not null,
  service text not null,
  level text not null,
  event text not null,
  message text not null,
  request_id text,
  trace_id text,
  fields jsonb not null default '{}'
);
create index if not exists logs_at_idx on _groundwork.logs (at);
create index if not exists logs_service_at_idx on _groundwork.logs (service, at);
create index if not exists logs_request_id_idx on _groundwork.logs (request_id) where request_id is not null;
create index if not exists logs_trace_id_idx on _groundwork.logs (trace_id) where trace_id is not null;
revoke all on _groundwork.logs from public;

do $$
begin
  if pg_catalog.version() not like '%PGlite%' then
    alter table _groundwork.logs set unlogged;
  end if;
end $$;
`;
