/**
 * One local load balancer per service (an ALB's listener and target group, on 127.0.0.1): requests go
 * round-robin to the service's RUNNING tasks that run as processes; with none, 503 as an ALB answers
 * without healthy targets. The templates' health URL points at it.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadBalancer {
  url: string;
  close(): Promise<void>;
}

export async function startLoadBalancer(targets: () => number[]): Promise<LoadBalancer> {
  let next = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const ports = targets();
    if (ports.length === 0) {
      outgoing.writeHead(503, { 'content-type': 'text/html' });
      outgoing.end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
      return;
    }
    const port = ports[next++ % ports.length];
    const upstream = request({ host: '127.0.0.1', port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/html' });
      outgoing.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
