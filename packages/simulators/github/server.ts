/**
 * The HTTP side: read the body, check the token, spend the rate budget, let an injected fault
 * answer, refuse writes from the read-only token, route, and log. Handlers are synchronous functions
 * of the store, so a request sees and leaves the model in a consistent state.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { RateBudget, Tokens } from './auth';
import type { Faults } from './faults';
import { GIT_PATH, type GitBackend } from './git';
import { executeGraphQL, isMutation, parseGraphQLRequest, rootFields, type ParsedGraphQL } from './graphql';
import { DOCS, HttpError, type Reply } from './http';
import { allows, forbiddenMessage, type TokenGrant } from './permissions';
import type { RequestLog } from './request-log';
import type { Router } from './router';
import type { GitHubStore } from './store';
import { readBody } from '../http-body';

export interface ServerParts {
  store: GitHubStore;
  router: Router<GitHubStore>;
  tokens: Tokens;
  budget: RateBudget;
  faults: Faults;
  log: RequestLog;
  /** Set when git is served (gitRoot). */
  git?: GitBackend;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createGitHubServer(parts: ServerParts): Server {
  return createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?')[0]!;
    if (parts.git && GIT_PATH.test(pathname)) {
      parts.git.serve(request, response, parts.tokens, parts.log);
      return;
    }
    readBody(request)
      .then((raw) => respond(parts, request, response, raw))
      .catch((error: unknown) => {
        if (!response.headersSent) send(response, { status: 500, body: { message: `Simulator error: ${String(error)}` } }, {});
      });
  });
}

function respond(parts: ServerParts, request: IncomingMessage, response: ServerResponse, raw: string): void {
  const { store, tokens, budget, faults, log } = parts;
  const method = (request.method ?? 'GET').toUpperCase();
  const url = new URL(request.url ?? '/', store.apiUrl);
  const path = url.pathname;
  const now = store.now();
  const isGraphQL = method === 'POST' && path === '/graphql';

  let body: unknown;
  let badJson = false;
  if (raw.trim() !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      badJson = true;
    }
  }
  const graphql: ParsedGraphQL | undefined = isGraphQL && !badJson ? parseGraphQLRequest(body) : undefined;
  const mutating = graphql ? isMutation(graphql) : !READ_METHODS.has(method);
  const grant = tokens.check(request.headers.authorization);
  const headers = budget.spend(isGraphQL ? 'graphql' : 'core', now);

  let reply: Reply;
  let fault: 'rate-limit' | 'server-error' | undefined;
  if (!grant) {
    reply = { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } };
  } else {
    const injected = faults.take(method, path, now);
    if (injected) {
      reply = injected;
      fault = injected.status >= 500 ? 'server-error' : 'rate-limit';
    } else if (badJson) {
      reply = { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } };
    } else if (graphql) {
      reply = executeGraphQL(store, graphql, { grant });
    } else {
      reply = dispatch(parts, method, url, body, grant);
    }
  }

  log.record({
    method,
    path: decodePath(path),
    query: url.search.replace(/^\?/, ''),
    status: reply.status,
    body,
    at: now,
    mutating,
    ...(graphql?.operation ? { graphql: { type: graphql.operation.type, fields: rootFields(graphql.operation.selections).map((field) => field.name) } } : {}),
    ...(fault ? { fault } : {}),
  });
  // HEAD answers like GET without a body.
  send(response, method === 'HEAD' ? { ...reply, body: undefined, raw: undefined } : reply, headers);
}

/** The log shows `/git/ref/tags/v1.0.0` whether the client sent `tags%2Fv1.0.0` or raw slashes. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function dispatch(parts: ServerParts, method: string, url: URL, body: unknown, grant: TokenGrant): Reply {
  const match = parts.router.match(method === 'HEAD' ? 'GET' : method, url.pathname);
  if (!match) return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
  if (!allows(grant, match.permission)) return { status: 403, body: { message: forbiddenMessage(grant), documentation_url: DOCS } };
  try {
    const actor = parts.store.user(grant.login);
    return match.handler({ method, params: match.params, query: url.searchParams, body: body ?? {}, url, state: parts.store, grant, actor });
  } catch (error) {
    if (error instanceof HttpError) return error.toReply();
    // A seeding-level invariant broke (e.g. an unknown parent); say so instead of hanging the client.
    return { status: 500, body: { message: `Simulator error: ${error instanceof Error ? error.message : String(error)}` } };
  }
}

function send(response: ServerResponse, reply: Reply, rateHeaders: Record<string, string>): void {
  const headers: Record<string, string> = {
    ...rateHeaders,
    'x-github-request-id': randomUUID().toUpperCase(),
    'x-github-api-version-selected': '2022-11-28',
    ...(reply.headers ?? {}),
  };
  if (reply.raw) {
    response.writeHead(reply.status, { ...headers, 'content-length': String(reply.raw.length) });
    response.end(reply.raw);
    return;
  }
  if (reply.status === 204 || reply.body === undefined) {
    response.writeHead(reply.status, headers);
    response.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  response.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  response.end(text);
}
