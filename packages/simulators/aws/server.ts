/**
 * The HTTP front of the simulator: AWS JSON 1.1 (POST /, `x-amz-target` names the operation) and,
 * for STS, the Query protocol (a form-encoded POST whose `Action` names the operation, answered in
 * XML). Any SigV4 signature accepted, faults applied before the operation runs, every request recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Clock } from '../../action-kit';
import { AwsServiceError, unknownOperation } from './errors';
import type { FaultInjector } from './faults';
import type { IdSource } from './random';
import type { AwsServiceName, RequestLog } from './request-log';
import { readBody } from '../http-body';

export type Operations = Record<string, (input: any) => unknown>;

const TARGET_PREFIXES: Record<string, AwsServiceName> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  Logs_20140328: 'logs',
};

/** Services that speak the Query protocol, by the API version their clients send. */
const QUERY_VERSIONS: Record<string, AwsServiceName> = {
  '2011-06-15': 'sts',
};

export interface ServerDeps {
  clock: Clock;
  operations: Record<AwsServiceName, Operations>;
  faults: FaultInjector;
  log: RequestLog;
  ids: IdSource;
}

export function createAwsServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      // A bug in the simulator: say so loudly rather than hang the client.
      if (!res.headersSent) send(res, 500, { __type: 'SimulatorBug', message: String(error instanceof Error ? error.stack : error) }, deps.ids);
    });
  });
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req);
  if (/^application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''))) return handleQuery(deps, req, res, raw);
  const target = String(req.headers['x-amz-target'] ?? '');
  const [prefix, operation = ''] = target.split('.');
  const service = TARGET_PREFIXES[prefix];
  const at = deps.clock.now();
  let body: any = {};
  try {
    body = raw ? JSON.parse(raw) : {};
  } catch {
    body = raw;
  }

  const handler = service ? deps.operations[service][operation] : undefined;
  if (req.method !== 'POST' || !service || !handler) {
    const error = unknownOperation(target);
    deps.log.record({ service: service ?? 'ecs', operation: operation || target, body, status: error.status, errorType: error.code, at });
    return send(res, error.status, { __type: error.code, message: error.message }, deps.ids);
  }

  const injected = await injectFaults(deps, req, { service, operation, body, at });
  if (injected === 'reset') return;
  if (injected) {
    deps.log.record({ service, operation, body, status: injected.status, errorType: injected.code, at });
    return send(res, injected.status, { __type: injected.code, message: injected.message }, deps.ids);
  }

  try {
    const result = handler(body);
    deps.log.record({ service, operation, body, status: 200, at });
    send(res, 200, result ?? {}, deps.ids);
  } catch (error) {
    if (!(error instanceof AwsServiceError)) throw error;
    deps.log.record({ service, operation, body, status: error.status, errorType: error.code, at });
    send(res, error.status, { __type: error.code, message: error.message }, deps.ids);
  }
}

/**
 * The faults armed for this operation, in order: delays are waited out (latency is wire time, a real
 * delay whatever the model's clock), a reset drops the connection (logged here), an error is returned
 * for the protocol to answer in its own format.
 */
async function injectFaults(deps: ServerDeps, req: IncomingMessage, call: { service: AwsServiceName; operation: string; body: unknown; at: number }): Promise<AwsServiceError | 'reset' | undefined> {
  for (const action of deps.faults.decide(call.service, call.operation)) {
    if (action.type === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, action.ms));
    } else if (action.type === 'reset') {
      deps.log.record({ ...call, status: 0, errorType: 'ConnectionReset' });
      req.socket.destroy();
      return 'reset';
    } else {
      return action.error;
    }
  }
  return undefined;
}

/** The Query protocol: `Action=GetCallerIdentity&Version=2011-06-15`, answered `<ActionResponse><ActionResult>`. */
async function handleQuery(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
  const body = Object.fromEntries(new URLSearchParams(raw));
  const operation = body.Action ?? '';
  const service = QUERY_VERSIONS[body.Version ?? ''];
  const at = deps.clock.now();
  const handler = service ? deps.operations[service][operation] : undefined;
  const fail = (error: AwsServiceError) => {
    deps.log.record({ service: service ?? 'sts', operation, body, status: error.status, errorType: error.code, at });
    sendXml(res, error.status, errorXml(error, deps.ids.uuid()));
  };
  if (req.method !== 'POST' || !service || !handler) return fail(unknownOperation(`${operation || '(no Action)'} (Query protocol, Version ${body.Version ?? 'missing'})`));
  const injected = await injectFaults(deps, req, { service, operation, body, at });
  if (injected === 'reset') return;
  if (injected) return fail(injected);
  try {
    const result = handler(body) as Record<string, unknown>;
    deps.log.record({ service, operation, body, status: 200, at });
    const requestId = deps.ids.uuid();
    sendXml(
      res,
      200,
      `<${operation}Response xmlns="https://${service}.amazonaws.com/doc/${body.Version}/">` +
        `<${operation}Result>${toXml(result)}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
    );
  } catch (error) {
    if (!(error instanceof AwsServiceError)) throw error;
    fail(error);
  }
}

const xmlText = (value: unknown) => String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Flat structures only: what the Query operations the simulator implements return. */
function toXml(result: Record<string, unknown>): string {
  return Object.entries(result)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `<${key}>${xmlText(value)}</${key}>`)
    .join('');
}

function errorXml(error: AwsServiceError, requestId: string): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse><Error><Type>${type}</Type><Code>${xmlText(error.code)}</Code><Message>${xmlText(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

function sendXml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function send(res: ServerResponse, status: number, payload: unknown, ids: IdSource): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': ids.uuid(),
  });
  res.end(text);
}
