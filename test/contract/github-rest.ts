/**
 * Recorded GitHub REST answers checked against GitHub's own OpenAPI description of api.github.com
 * (`@octokit/openapi`): the operation the request names, the status documented for it, the body's
 * types, enums and nullability, the fields this project reads (READS), error bodies, and the `Link`
 * and rate-limit headers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { checkValue, describes, resolve, type Mismatch, type Schema } from './schema-check';
import type { Exchange } from './recorder';

const require = createRequire(import.meta.url);

let spec: Schema | undefined;
/** The description with `$ref`s (13 MB; the dereferenced one is 73 MB), read once per test file. */
function githubOpenApi(): Schema {
  spec ??= JSON.parse(readFileSync(path.join(path.dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json'), 'utf8')) as Schema;
  return spec;
}

/**
 * Fields of each operation's answer that the product (packages/github, packages/release,
 * packages/classify), a template (`gh api ... --jq`) or the `gh` shim reads. Missing, they fail the
 * contract; every other field GitHub sends need not be simulated, but what is there is checked.
 */
const READS: Record<string, string[]> = {
  'repos/get': ['default_branch', 'full_name', 'name', 'owner.login', 'private', 'html_url'],
  'pulls/get': ['number', 'state', 'title', 'body', 'user.login', 'head.ref', 'head.sha', 'base.ref', 'base.sha', 'merged', 'merged_at', 'merge_commit_sha', 'changed_files', 'html_url', 'labels[].name', 'draft', 'head.repo.full_name'],
  'pulls/list': ['[].number', '[].title', '[].head.ref', '[].head.sha', '[].base.ref', '[].merged_at', '[].html_url', '[].user.login', '[].state'],
  'pulls/create': ['number', 'html_url', 'head.ref', 'base.ref'],
  'pulls/update': ['number', 'title', 'body', 'base.ref'],
  'pulls/list-files': ['[].filename', '[].status', '[].previous_filename'],
  'pulls/list-commits': ['[].sha', '[].commit.message'],
  'pulls/merge': ['sha', 'merged'],
  'repos/list-commits': ['[].sha', '[].commit.message', '[].parents[].sha', '[].author.login'],
  'repos/get-commit': ['sha', 'commit.message', 'commit.committer.date', 'files[].filename', 'parents[].sha'],
  'repos/compare-commits-with-basehead': ['status', 'ahead_by', 'behind_by', 'total_commits', 'merge_base_commit.sha', 'commits[].sha', 'commits[].commit.message', 'commits[].author.login', 'files[].filename', 'files[].status'],
  'repos/list-pull-requests-associated-with-commit': ['[].number', '[].merged_at', '[].head.ref', '[].base.ref'],
  'git/get-ref': ['ref', 'object.sha', 'object.type'],
  'git/list-matching-refs': ['[].ref', '[].object.sha', '[].object.type'],
  'git/create-ref': ['ref', 'object.sha'],
  'git/update-ref': ['ref', 'object.sha'],
  'git/get-tag': ['sha', 'tag', 'object.sha', 'object.type', 'message'],
  'git/create-tag': ['sha', 'tag', 'object.sha'],
  'repos/list-tags': ['[].name', '[].commit.sha'],
  'repos/list-releases': ['[].id', '[].tag_name', '[].name', '[].body', '[].draft', '[].prerelease', '[].html_url', '[].target_commitish', '[].created_at'],
  'repos/get-release-by-tag': ['id', 'tag_name', 'name', 'body', 'draft', 'prerelease', 'html_url'],
  'repos/get-latest-release': ['id', 'tag_name'],
  'repos/create-release': ['id', 'tag_name', 'html_url', 'draft'],
  'repos/update-release': ['id', 'tag_name', 'html_url', 'draft'],
  'issues/list-comments': ['[].id', '[].node_id', '[].body', '[].user.login', '[].html_url'],
  'issues/create-comment': ['id', 'node_id', 'html_url', 'body'],
  'issues/update-comment': ['id', 'node_id', 'html_url', 'body'],
  'issues/list-labels-on-issue': ['[].name'],
  'issues/add-labels': ['[].name'],
  'issues/remove-label': ['[].name'],
  'repos/list-deployments': ['[].id', '[].sha', '[].ref', '[].environment', '[].payload', '[].created_at', '[].task'],
  'repos/create-deployment': ['id', 'sha', 'environment'],
  'repos/list-deployment-statuses': ['[].state', '[].environment', '[].created_at'],
  'repos/create-deployment-status': ['id', 'state'],
  'repos/get-environment': ['name', 'protection_rules[].type'],
  'actions/list-workflow-runs': ['total_count', 'workflow_runs[].id', 'workflow_runs[].head_sha', 'workflow_runs[].status', 'workflow_runs[].conclusion'],
  'actions/list-workflow-runs-for-repo': ['total_count', 'workflow_runs[].id', 'workflow_runs[].head_sha', 'workflow_runs[].status', 'workflow_runs[].conclusion'],
  'actions/list-workflow-run-artifacts': ['total_count', 'artifacts[].id', 'artifacts[].name'],
};

interface Operation {
  operationId: string;
  template: string;
  responses: Record<string, Schema>;
}

interface Route {
  method: string;
  pattern: RegExp;
  literals: number;
  operation: Operation;
}

let routes: Route[] | undefined;

function compile(): Route[] {
  const found: Route[] = [];
  for (const [template, item] of Object.entries(githubOpenApi().paths as Record<string, Record<string, Schema>>)) {
    const segments = template.split('/').filter(Boolean);
    for (const [method, operation] of Object.entries(item)) {
      // `compare/{base}...{head}` is the old spelling of `compare/{basehead}`: one operation, one path.
      if (!operation?.operationId || /\}[^/]+\{/.test(template)) continue;
      // The last parameter may hold slashes (`git/ref/{ref}`, `compare/{basehead}`, sent raw by curl and gh).
      const source = segments.map((segment, index) => (/^\{.+\}$/.test(segment) ? (index === segments.length - 1 ? '(.+)' : '([^/]+)') : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/');
      found.push({ method: method.toUpperCase(), pattern: new RegExp(`^/${source}$`), literals: segments.filter((segment) => !segment.startsWith('{')).length, operation: { operationId: operation.operationId, template, responses: operation.responses ?? {} } });
    }
  }
  // Literal segments win: `/releases/latest` before `/releases/{release_id}`.
  return found.sort((a, b) => b.literals - a.literals);
}

export function operationFor(method: string, requestPath: string): Operation | undefined {
  routes ??= compile();
  return routes.find((route) => route.method === method && route.pattern.test(requestPath))?.operation;
}

/**
 * Where the description contradicts itself and GitHub: each entry says why. Nothing else is excused.
 */
const DESCRIPTION_GAPS: { field: RegExp; problem: RegExp; why: string }[] = [
  {
    field: /(^|\.|\[\]\.)labels\[\]\.description$/,
    problem: /^is null/,
    why: 'a label without a description is null: the `label` schema says nullable, the copy inlined in pull-request-simple and issue lists says string',
  },
];

const excused = (m: Mismatch) => DESCRIPTION_GAPS.some((gap) => gap.field.test(m.field) && gap.problem.test(m.problem));

/** Statuses GitHub may answer on any endpoint (authentication, rate limits, outages), as basic errors. */
const ANYWHERE = new Set([401, 403, 429, 500, 502, 503]);

export interface Finding {
  operation: string;
  status: number;
  field: string;
  problem: string;
}

export function checkRestExchange(exchange: Exchange): Finding[] {
  const root = githubOpenApi();
  const operation = operationFor(exchange.method, exchange.path);
  if (!operation) return [{ operation: `${exchange.method} ${exchange.path}`, status: exchange.status, field: '(operation)', problem: 'no operation of the description matches this request' }];
  const name = operation.operationId;
  const findings = headerFindings(exchange).map((m) => ({ operation: name, status: exchange.status, ...m }));
  const documented = operation.responses[String(exchange.status)];
  let schema: Schema | undefined;
  if (documented) {
    const response = resolve(documented, root);
    schema = response.content?.['application/json']?.schema;
    if (response.headers && !response.headers.Link && exchange.headers.link) findings.push({ operation: name, status: exchange.status, field: 'Link', problem: 'a Link header on an answer the description does not paginate' });
  } else if (ANYWHERE.has(exchange.status)) {
    schema = root.components.schemas['basic-error'];
  } else {
    return [...findings, { operation: name, status: exchange.status, field: '(status)', problem: `status ${exchange.status} is not documented for ${name} (documented: ${Object.keys(operation.responses).join(', ')})` }];
  }
  if (!schema) {
    if (exchange.body !== undefined && exchange.status !== 204) findings.push({ operation: name, status: exchange.status, field: '(body)', problem: 'a JSON body where the description has none' });
    return findings;
  }
  const reads = exchange.status < 300 ? (READS[name] ?? []) : ['message'];
  const mismatches = checkValue(schema, exchange.body, { root, mustHave: (field) => reads.includes(field) });
  return [...findings, ...mismatches.filter((m) => !excused(m)).map((m: Mismatch) => ({ operation: name, status: exchange.status, ...m }))];
}

const LINK = /^<[^>]+>; rel="(next|prev|first|last)"$/;

function headerFindings(exchange: Exchange): Mismatch[] {
  const found: Mismatch[] = [];
  for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-used', 'x-ratelimit-reset']) {
    const value = exchange.headers[header];
    if (typeof value !== 'string' || !/^\d+$/.test(value)) found.push({ field: header, problem: `header is ${JSON.stringify(value)}, an integer is documented` });
  }
  if (typeof exchange.headers['x-ratelimit-resource'] !== 'string') found.push({ field: 'x-ratelimit-resource', problem: 'header missing' });
  const link = exchange.headers.link;
  if (typeof link === 'string') {
    for (const part of link.split(/,\s*/)) if (!LINK.test(part)) found.push({ field: 'Link', problem: `part ${JSON.stringify(part)} is not <url>; rel="next|prev|first|last"` });
  }
  return found;
}

/** READS entries that GitHub's description does not have: the product would read a field GitHub never sends. */
export function undocumentedReads(): string[] {
  const root = githubOpenApi();
  const byId = new Map<string, Schema>();
  for (const item of Object.values(root.paths as Record<string, Record<string, Schema>>)) {
    for (const operation of Object.values(item)) if (operation?.operationId) byId.set(operation.operationId, operation);
  }
  const missing: string[] = [];
  for (const [id, fields] of Object.entries(READS)) {
    const operation = byId.get(id);
    if (!operation) {
      missing.push(`${id}: no such operation`);
      continue;
    }
    const success = Object.entries(operation.responses as Record<string, Schema>).find(([status]) => status.startsWith('2'))?.[1];
    const schema = success ? resolve(success, root).content?.['application/json']?.schema : undefined;
    for (const field of fields) if (!schema || !describes(schema, field, root)) missing.push(`${id}: ${field}`);
  }
  return missing;
}

export const describeFinding = (f: Finding) => `${f.operation} ${f.status} ${f.field}: ${f.problem}`;
