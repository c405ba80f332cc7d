import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a plain HTTP server received from the sandbox's webhook delivery (tests of the sandbox). */
export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  raw: string;
  json: unknown;
}

/** A receiver whose answers are scripted per request: a status, or 'hang' (never answers). */
export function createReceiver() {
  const received: Received[] = [];
  let script: (number | 'hang')[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = raw ? JSON.parse(raw) : undefined;
      } catch {
        json = undefined;
      }
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, json });
      const next = script.shift() ?? 204;
      if (next === 'hang') return;
      res.statusCode = next;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: next < 300 }));
    });
  });
  return {
    received,
    script: (s: (number | 'hang')[]) => {
      script = s;
    },
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
