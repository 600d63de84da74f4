// An OTLP/HTTP collector that accepts and discards what it is sent, for the observation
// bench (scripts/bench-observe.sh). Counts exports and bytes; GET /count reports them.
// Usage: node scripts/bench-observe-sink.mjs PORT
import { createServer } from 'node:http';
import process from 'node:process';

const port = Number(process.argv[2] ?? 4318);
let exports = 0;
let bytes = 0;
createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ exports, bytes }));
    return;
  }
  req.on('data', (chunk) => (bytes += chunk.length));
  req.on('end', () => {
    exports++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
}).listen(port, '127.0.0.1');
