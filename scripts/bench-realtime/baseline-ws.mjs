// The hand-written baseline for the realtime bench: a bare `ws` server that speaks just enough
// of the v2 Phoenix protocol for the bench's clients (join replies, heartbeats, broadcast
// fan-out to a topic's other sockets), with none of Groundwork's checks. What Groundwork's
// broadcast rate and idle memory are compared with. Usage: node baseline-ws.mjs <port>
import { createServer } from 'node:http';
import process from 'node:process';
import { WebSocketServer } from 'ws';

const topics = new Map();
const server = createServer((_req, res) => res.end('ok'));
const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
wss.on('connection', (ws) => {
  const joined = new Set();
  ws.on('message', (data) => {
    const [joinRef, ref, topic, event, payload] = JSON.parse(String(data));
    if (event === 'heartbeat') return ws.send(JSON.stringify([null, ref, 'phoenix', 'phx_reply', { status: 'ok', response: {} }]));
    if (event === 'phx_join') {
      let set = topics.get(topic);
      if (set === undefined) topics.set(topic, (set = new Set()));
      set.add(ws);
      joined.add(topic);
      return ws.send(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }]));
    }
    if (event === 'broadcast') {
      const frame = JSON.stringify([null, null, topic, 'broadcast', payload]);
      for (const other of topics.get(topic) ?? []) if (other !== ws) other.send(frame);
    }
  });
  ws.on('close', () => {
    for (const t of joined) topics.get(t)?.delete(ws);
  });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1');
