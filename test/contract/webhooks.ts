/**
 * Event payloads checked against GitHub's webhook descriptions (`@octokit/openapi-webhooks`): the
 * payload a run's `GITHUB_EVENT_PATH` holds is the webhook's body (docs: "Webhook events and payloads").
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { checkValue, type Schema } from './schema-check';

const require = createRequire(import.meta.url);

let spec: Schema | undefined;
function webhooksOpenApi(): Schema {
  spec ??= JSON.parse(readFileSync(path.join(path.dirname(require.resolve('@octokit/openapi-webhooks/package.json')), 'generated', 'api.github.com.json'), 'utf8')) as Schema;
  return spec;
}

/** The webhook a payload is: `push`, `pull-request-synchronize`, `workflow-dispatch`. */
export function webhookName(event: string, action?: string): string {
  return [event, action].filter(Boolean).join('-').replace(/_/g, '-');
}

function webhookSchema(name: string): Schema {
  const hook = webhooksOpenApi().webhooks?.[name];
  if (!hook) throw new Error(`no webhook ${name} in @octokit/openapi-webhooks`);
  return hook.post.requestBody.content['application/json'].schema as Schema;
}

const PULL_READS = [
  'action', 'number', 'repository.full_name', 'repository.default_branch', 'repository.owner.login',
  'pull_request.number', 'pull_request.title', 'pull_request.body', 'pull_request.state', 'pull_request.commits', 'pull_request.changed_files',
  'pull_request.merged', 'pull_request.merge_commit_sha', 'pull_request.user.login', 'pull_request.html_url',
  'pull_request.head.ref', 'pull_request.head.sha', 'pull_request.head.repo', 'pull_request.head.repo.full_name', 'pull_request.head.repo.fork', 'pull_request.head.repo.owner', 'pull_request.head.repo.owner.login',
  'pull_request.base.ref', 'pull_request.base.sha', 'pull_request.base.repo', 'pull_request.base.repo.full_name', 'pull_request.base.repo.fork', 'pull_request.base.repo.owner', 'pull_request.base.repo.owner.login',
];

/**
 * Fields of each payload that the templates (`github.event.*`), the actions (`readEvent()`) or the
 * runner's documented context read, with the ones issue 27 found missing; plus the whole `sender`.
 */
const PAYLOAD_READS: Record<string, string[]> = {
  push: ['ref', 'before', 'after', 'base_ref', 'compare', 'created', 'deleted', 'forced', 'commits', 'commits[].id', 'commits[].message', 'commits[].url', 'head_commit', 'head_commit.id', 'head_commit.url', 'pusher', 'pusher.name', 'repository.full_name', 'repository.default_branch'],
  'pull-request-opened': PULL_READS,
  'pull-request-synchronize': [...PULL_READS, 'before', 'after'],
  'pull-request-edited': [...PULL_READS, 'changes'],
  'pull-request-closed': PULL_READS,
  'workflow-dispatch': ['inputs', 'ref', 'workflow', 'repository.full_name', 'repository.default_branch'],
};

/** Objects every documented field of which is required: `sender` (the docs' full user). */
const WHOLE = ['sender'];

const mustHave = (reads: string[]) => (field: string) => reads.includes(field) || WHOLE.some((prefix) => field.startsWith(`${prefix}.`) && !field.slice(prefix.length + 1).includes('.')) || WHOLE.includes(field);

/** Every mismatch of the payload, as `<webhook> <field>: <problem>`. */
export function checkPayload(name: string, payload: unknown): string[] {
  const reads = PAYLOAD_READS[name];
  if (!reads) throw new Error(`no PAYLOAD_READS for ${name}`);
  return checkValue(webhookSchema(name), payload, { root: webhooksOpenApi(), mustHave: mustHave(reads) }).map((m) => `${name} ${m.field}: ${m.problem}`);
}
