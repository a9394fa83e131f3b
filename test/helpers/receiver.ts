/** A real HTTP receiver for channel and delivery tests: a local server, never a stubbed fetch. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

/** One request as the receiver saw it, with its arrival time (ms since epoch). */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A running receiver. */
export interface Receiver {
  /** `http://127.0.0.1:<port>`. */
  base: string;
  requests: Received[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1. `respond` answers each request (default 200 `{"errcode":0}`);
 * one that never ends the response is a hung receiver. Closed when the test file ends.
 */
export async function startReceiver(
  respond: (req: Received, res: ServerResponse, index: number) => void = (_r, res) =>
    void res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"code":0}'),
): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(r);
      respond(r, res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
    return closed;
  };
  after(close);
  return { base: `http://127.0.0.1:${port}`, requests, close };
}
