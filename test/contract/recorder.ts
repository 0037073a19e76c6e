/**
 * A recording HTTP proxy in front of a simulator: the real clients (Octokit, the AWS SDK, the `gh`
 * shim) talk to it as they would to the simulator, and every exchange is kept as it crossed the wire
 * (status, headers, the parsed JSON of both bodies). The simulators stay as they are; the contract
 * tests check what was recorded against GitHub's and AWS's own descriptions.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  /** Path without the query. */
  path: string;
  query: string;
  requestHeaders: IncomingHttpHeaders;
  requestBody: unknown;
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON (the raw text when the answer is not JSON; undefined when empty). */
  body: unknown;
}

export interface Recorder {
  url: string;
  exchanges: Exchange[];
  close(): Promise<void>;
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startRecorder(target: string): Promise<Recorder> {
  const upstream = new URL(target);
  const exchanges: Exchange[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const sent = Buffer.concat(chunks);
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
        const back: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => back.push(chunk));
        answer.on('end', () => {
          const received = Buffer.concat(back);
          const [path, query = ''] = (req.url ?? '/').split('?');
          exchanges.push({ method: req.method ?? 'GET', path: path!, query, requestHeaders: req.headers, requestBody: parse(sent.toString('utf8')), status: answer.statusCode ?? 0, headers: answer.headers, body: parse(received.toString('utf8')) });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(received);
        });
      });
      forward.on('error', () => res.destroy());
      forward.end(sent);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
