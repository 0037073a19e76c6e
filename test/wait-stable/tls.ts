/**
 * A local HTTPS server with a self-signed certificate made for the test with `openssl req -x509`
 * (for 127.0.0.1), the case of a health URL whose certificate Node does not trust. Undefined, with a
 * visible SKIPPED line, when openssl is not installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SelfSignedServer {
  url: string;
  /** PEM file of the certificate (what NODE_EXTRA_CA_CERTS would point to). */
  certFile: string;
  /** TCP connections accepted (a TLS handshake the client refuses still counts). */
  connections(): number;
  close(): Promise<void>;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.log('SKIPPED: openssl is not installed; the self-signed certificate cases need it to make a certificate');
    return false;
  }
}

export async function startSelfSignedServer(): Promise<SelfSignedServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  let connections = 0;
  const server: Server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (_req, res) => res.writeHead(200).end('ok'));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/health`,
    certFile,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
