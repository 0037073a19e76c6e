/**
 * A local stand-in for the app's key endpoints (wait-stable's verify URLs): the status per path
 * (default 200), and the requests asked, in order. Shared by the engine test and the bundle test.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KeyEndpoints {
  base: string;
  asked: string[];
  close(): Promise<void>;
}

export async function startKeyEndpoints(statuses: Record<string, number> = {}): Promise<KeyEndpoints> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    res.writeHead(statuses[req.url ?? ''] ?? 200).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
