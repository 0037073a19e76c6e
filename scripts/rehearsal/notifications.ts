/**
 * The team's chat, as a Slack-compatible incoming webhook would receive it: a local receiver that
 * records every JSON post (`{ "text": ... }`) the templates' "Notify the team" steps send to
 * NOTIFY_WEBHOOK_URL, so a stage can say which deploys, rollbacks and releases were announced.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NotificationPost {
  text: string;
  at: number;
}

export interface NotificationReceiver {
  url: string;
  posts: NotificationPost[];
  server: Server;
}

export async function startNotificationReceiver(): Promise<NotificationReceiver> {
  const receiver = { posts: [] as NotificationPost[] } as NotificationReceiver;
  receiver.server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let text: unknown;
      try {
        text = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: unknown }).text;
      } catch {
        text = undefined;
      }
      // Slack answers 400 `invalid_payload` to a post without text; so does this receiver.
      if (request.method !== 'POST' || typeof text !== 'string') {
        response.writeHead(400).end('invalid_payload');
        return;
      }
      receiver.posts.push({ text, at: Date.now() });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/services/T000/B000/rehearsal`;
  return receiver;
}
