/** The one request-body reader of the simulators' HTTP servers (AWS and GitHub). */
import type { IncomingMessage } from 'node:http';

/** The whole request body as UTF-8 text ('' when there is none). */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
