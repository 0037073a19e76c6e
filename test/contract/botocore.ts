/**
 * Recorded AWS answers checked against the service models AWS publishes with its CLI (botocore's
 * `service-2.json` for ecs, ecr, logs and sts): each operation's output shape member for member
 * (a member the model lacks is a mismatch too), types, enums, required members, and error answers
 * (`__type` one of the operation's errors or the common ones, with the error shape's members).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Exchange } from './recorder';

type Shape = Record<string, any>;
interface Model {
  metadata: Record<string, string>;
  operations: Record<string, { output?: { shape: string; resultWrapper?: string }; errors?: { shape: string }[] }>;
  shapes: Record<string, Shape>;
}

/** botocore's data directory, from the Python the AWS CLI runs on; undefined when there is none. */
export function botocoreDataDir(): string | undefined {
  const candidates = [process.env.BOTOCORE_DATA_DIR];
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      const dir = execFileSync(python, ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      candidates.push(path.join(dir, 'data'));
    } catch {
      // This Python has no botocore.
    }
  }
  return candidates.find((dir): dir is string => !!dir && existsSync(path.join(dir, 'ecs')));
}

const models = new Map<string, Model>();

function loadModel(dataDir: string, service: string): Model {
  const cached = models.get(service);
  if (cached) return cached;
  const versions = readdirSync(path.join(dataDir, service)).sort();
  const dir = path.join(dataDir, service, versions[versions.length - 1]!);
  const plain = path.join(dir, 'service-2.json');
  const text = existsSync(plain) ? readFileSync(plain, 'utf8') : gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
  const model = JSON.parse(text) as Model;
  models.set(service, model);
  return model;
}

/** Errors any operation may answer (throttling, credentials, outages), as the SDKs treat them. */
const COMMON_ERRORS = new Set(['ThrottlingException', 'AccessDeniedException', 'ExpiredTokenException', 'UnrecognizedClientException', 'ServiceUnavailableException', 'InternalFailure', 'ValidationException', 'UnknownOperationException']);

export interface AwsFinding {
  operation: string;
  field: string;
  problem: string;
}

export const describeAwsFinding = (f: AwsFinding) => `${f.operation} ${f.field}: ${f.problem}`;

const TARGET_SERVICE: Record<string, string> = { AmazonEC2ContainerServiceV20141113: 'ecs', AmazonEC2ContainerRegistry_V20150921: 'ecr', Logs_20140328: 'logs' };

/** The service and operation of a recorded request (JSON 1.1 by x-amz-target, Query by Action). */
export function awsOperationOf(exchange: Exchange): { service: string; operation: string } | undefined {
  const target = exchange.requestHeaders['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix, operation] = target.split('.');
    const service = TARGET_SERVICE[prefix!];
    return service && operation ? { service, operation } : undefined;
  }
  if (typeof exchange.requestBody === 'string') {
    const params = new URLSearchParams(exchange.requestBody);
    if (params.get('Version') === '2011-06-15') return { service: 'sts', operation: params.get('Action') ?? '' };
  }
  return undefined;
}

export function checkAwsExchange(dataDir: string, exchange: Exchange): AwsFinding[] {
  const id = awsOperationOf(exchange);
  if (!id) return [{ operation: `${exchange.method} ${exchange.path}`, field: '(operation)', problem: 'not an ecs, ecr, logs or sts request' }];
  const model = loadModel(dataDir, id.service);
  const name = `${id.service}:${id.operation}`;
  const operation = model.operations[id.operation];
  if (!operation) return [{ operation: name, field: '(operation)', problem: `the ${id.service} model has no operation ${id.operation}` }];
  const found: { field: string; problem: string }[] = [];
  const body = id.service === 'sts' ? xmlResult(exchange, id.operation) : exchange.body;
  if (exchange.status >= 400) {
    checkError(model, operation, body, found);
  } else if (operation.output) {
    checkShape(model, operation.output.shape, body, '', found, id.service === 'sts');
  }
  return found.map((f) => ({ operation: name, ...f }));
}

function checkError(model: Model, operation: Model['operations'][string], body: any, found: { field: string; problem: string }[]): void {
  const type = String(body?.__type ?? body?.Code ?? '').replace(/^.*#/, '');
  const declared = (operation.errors ?? []).map((error) => error.shape);
  if (!declared.includes(type) && !COMMON_ERRORS.has(type)) {
    found.push({ field: '__type', problem: `${JSON.stringify(type)} is neither an error of this operation (${declared.join(', ')}) nor a common one` });
    return;
  }
  if (typeof (body?.message ?? body?.Message) !== 'string') found.push({ field: 'message', problem: 'an error answer without its message' });
  const shape = model.shapes[type];
  // JSON errors carry the error shape's members (the message is the protocol's, modelled or not);
  // Query (XML) errors are Code and Message.
  if (shape && body?.__type !== undefined) {
    const { __type: _type, message: _message, ...members } = body as Record<string, unknown>;
    checkShape(model, type, members, '', found);
  }
}

/** STS answers in XML: the flat members of `<ActionResult>` as strings (what the simulator sends). */
function xmlResult(exchange: Exchange, operation: string): Record<string, unknown> {
  const text = String(exchange.body ?? '');
  if (exchange.status >= 400) {
    const pick = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text)?.[1];
    return { Code: pick('Code'), Message: pick('Message') };
  }
  const result = new RegExp(`<${operation}Result>([\\s\\S]*)</${operation}Result>`).exec(text)?.[1] ?? '';
  return Object.fromEntries([...result.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map((m) => [m[1], m[2]]));
}

function typeProblem(shape: Shape, value: unknown, xml: boolean): string | undefined {
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const expect = (ok: boolean, what: string) => (ok ? undefined : `is ${actual} (${JSON.stringify(value)?.slice(0, 60)}); the model says ${what}`);
  if (xml) return typeof value === 'string' ? undefined : `is ${actual}; XML text expected`;
  switch (shape.type) {
    case 'structure':
    case 'map':
      return expect(actual === 'object', shape.type);
    case 'list':
      return expect(actual === 'array', 'list');
    case 'string':
    case 'blob':
      return expect(actual === 'string', shape.type);
    case 'boolean':
      return expect(actual === 'boolean', 'boolean');
    case 'integer':
    case 'long':
      return expect(Number.isInteger(value), shape.type);
    case 'double':
    case 'float':
      return expect(actual === 'number', shape.type);
    case 'timestamp':
      // JSON 1.1 sends epoch seconds (a number).
      return expect(actual === 'number', 'timestamp (epoch seconds)');
    default:
      return undefined;
  }
}

function checkShape(model: Model, shapeName: string, value: unknown, field: string, found: { field: string; problem: string }[], xml = false): void {
  const shape = model.shapes[shapeName];
  if (!shape) return;
  const where = field || '(root)';
  const problem = typeProblem(shape, value, xml && shape.type !== 'structure');
  if (problem) {
    found.push({ field: where, problem });
    return;
  }
  if (shape.type === 'string' && Array.isArray(shape.enum) && !shape.enum.includes(value)) found.push({ field: where, problem: `${JSON.stringify(value)} is not one of ${shapeName}'s values` });
  if (shape.type === 'list') {
    for (const item of value as unknown[]) {
      const before = found.length;
      checkShape(model, shape.member.shape, item, `${field}[]`, found, xml);
      if (found.length > before) break;
    }
  }
  if (shape.type === 'map') for (const [key, item] of Object.entries(value as Record<string, unknown>)) checkShape(model, shape.value.shape, item, `${field}.${key}`, found, xml);
  if (shape.type === 'structure') checkMembers(model, shape, value as Record<string, unknown>, field, found, xml);
}

function checkMembers(model: Model, shape: Shape, value: Record<string, unknown>, field: string, found: { field: string; problem: string }[], xml: boolean): void {
  const members = shape.members as Record<string, { shape: string }>;
  const join = (name: string) => (field ? `${field}.${name}` : name);
  for (const name of (shape.required ?? []) as string[]) if (!(name in value)) found.push({ field: join(name), problem: 'is required by the model but missing' });
  for (const [name, member] of Object.entries(value)) {
    if (!members[name]) found.push({ field: join(name), problem: `is not a member of ${Object.keys(members).length ? 'this structure' : 'an empty structure'} in the model` });
    else if (member !== null && member !== undefined) checkShape(model, members[name].shape, member, join(name), found, xml);
  }
}
