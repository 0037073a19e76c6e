/**
 * Labels: owned by the repository (created on first use by the issue-labels endpoints, as GitHub
 * does), attached to issues and pulls by name, matched case-insensitively.
 */
import { created, HttpError, noContent, notFound, ok, optionalString, requireString, validationFailed } from './http';
import type { Reply } from './http';
import { issueOr404 } from './issues';
import type { IssueRecord, LabelRecord, RepoRecord } from './model';
import { pagedReply } from './pagination';
import type { RouteContext, Router } from './router';
import type { GitHubStore } from './store';

const DEFAULT_COLOR = 'ededed';

function renderLabel(store: GitHubStore, repo: RepoRecord, label: LabelRecord): Record<string, unknown> {
  return {
    id: label.id,
    node_id: label.nodeId,
    url: `${store.repoApiUrl(repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: false,
    description: label.description,
  };
}

function createLabel(store: GitHubStore, repo: RepoRecord, name: string, color = DEFAULT_COLOR, description: string | null = null): LabelRecord {
  const id = store.nextId('label');
  const label: LabelRecord = { id, nodeId: store.nodeId('label', id), name, color: color.replace(/^#/, ''), description };
  repo.labels.set(name.toLowerCase(), label);
  return label;
}

/** The repository label of that name, created when missing. */
function ensureLabel(store: GitHubStore, repo: RepoRecord, name: string): LabelRecord {
  return repo.labels.get(name.toLowerCase()) ?? createLabel(store, repo, name);
}

export function issueLabels(store: GitHubStore, repo: RepoRecord, issue: IssueRecord): Record<string, unknown>[] {
  return issue.labels.map((name) => renderLabel(store, repo, ensureLabel(store, repo, name)));
}

/** Adds labels to an issue (keeping existing ones, no duplicates, the repository label's spelling). */
export function addLabels(store: GitHubStore, repo: RepoRecord, issue: IssueRecord, names: string[]): void {
  for (const name of names) {
    const label = ensureLabel(store, repo, name);
    if (!issue.labels.some((existing) => existing.toLowerCase() === label.name.toLowerCase())) issue.labels.push(label.name);
  }
  issue.updatedAt = store.now();
}

/** Label names from `{labels: [...]}`, a bare array, or `{labels: [{name}]}`, as the API accepts. */
function labelNames(body: unknown): string[] {
  const list = Array.isArray(body) ? body : (body as { labels?: unknown } | null)?.labels;
  if (!Array.isArray(list)) throw validationFailed({ resource: 'Label', code: 'missing_field', field: 'labels' });
  return list.map((entry) => {
    const name = typeof entry === 'string' ? entry : (entry as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name.trim() === '') throw validationFailed({ resource: 'Label', code: 'invalid', field: 'name' });
    return name.trim();
  });
}

const repoOf = (context: RouteContext<GitHubStore>) => context.state.repo(context.params.owner!, context.params.repo!);

export function registerLabelRoutes(router: Router<GitHubStore>): void {
  router.on('GET', '/repos/:owner/:repo/issues/:number/labels', listIssueLabels);
  router.on('POST', '/repos/:owner/:repo/issues/:number/labels', addIssueLabels);
  router.on('PUT', '/repos/:owner/:repo/issues/:number/labels', setIssueLabels);
  router.on('DELETE', '/repos/:owner/:repo/issues/:number/labels', removeAllIssueLabels);
  router.on('DELETE', '/repos/:owner/:repo/issues/:number/labels/*name', removeIssueLabel);
  router.on('GET', '/repos/:owner/:repo/labels', listLabels);
  router.on('POST', '/repos/:owner/:repo/labels', createLabelRoute);
  router.on('GET', '/repos/:owner/:repo/labels/*name', getLabel);
  router.on('PATCH', '/repos/:owner/:repo/labels/*name', updateLabel);
  router.on('DELETE', '/repos/:owner/:repo/labels/*name', deleteLabel);
}

const issueLabelsReply = (context: RouteContext<GitHubStore>, repo: RepoRecord, issue: IssueRecord) =>
  pagedReply(context.url, context.query, issue.labels, (name) => renderLabel(context.state, repo, ensureLabel(context.state, repo, name)));

function listIssueLabels(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  return issueLabelsReply(context, repo, issueOr404(repo, context.params.number!));
}

/**
 * A label change on a pull request is a `pull_request` event per label, `labeled` or `unlabeled`, as
 * GitHub sends it (workflows with `types: [labeled]` run on it); on an issue it is no workflow event here.
 */
function emitLabelChanges(context: RouteContext<GitHubStore>, repo: RepoRecord, issue: IssueRecord, before: string[]): void {
  if (!issue.pull) return;
  const had = new Set(before.map((name) => name.toLowerCase()));
  const has = new Set(issue.labels.map((name) => name.toLowerCase()));
  const event = { name: 'pull_request', repo: repo.fullName, number: issue.number, author: context.grant } as const;
  for (const name of before) if (!has.has(name.toLowerCase())) context.state.events.emit({ ...event, action: 'unlabeled', label: { name } });
  for (const name of issue.labels) if (!had.has(name.toLowerCase())) context.state.events.emit({ ...event, action: 'labeled', label: { name } });
}

/** Runs `change` on the issue's labels, then emits what it added and removed. */
function changeLabels(context: RouteContext<GitHubStore>, change: (repo: RepoRecord, issue: IssueRecord) => void): { repo: RepoRecord; issue: IssueRecord } {
  const repo = repoOf(context);
  const issue = issueOr404(repo, context.params.number!);
  const before = [...issue.labels];
  change(repo, issue);
  emitLabelChanges(context, repo, issue, before);
  return { repo, issue };
}

function addIssueLabels(context: RouteContext<GitHubStore>): Reply {
  const names = labelNames(context.body);
  const { repo, issue } = changeLabels(context, (r, i) => addLabels(context.state, r, i, names));
  return ok(issueLabels(context.state, repo, issue));
}

function setIssueLabels(context: RouteContext<GitHubStore>): Reply {
  const names = labelNames(context.body);
  const { repo, issue } = changeLabels(context, (r, i) => {
    i.labels = [];
    addLabels(context.state, r, i, names);
  });
  return ok(issueLabels(context.state, repo, issue));
}

function removeAllIssueLabels(context: RouteContext<GitHubStore>): Reply {
  changeLabels(context, (_r, issue) => {
    issue.labels = [];
    issue.updatedAt = context.state.now();
  });
  return noContent();
}

function removeIssueLabel(context: RouteContext<GitHubStore>): Reply {
  const wanted = context.params.name!.toLowerCase();
  const { repo, issue } = changeLabels(context, (_r, i) => {
    const before = i.labels.length;
    i.labels = i.labels.filter((name) => name.toLowerCase() !== wanted);
    if (i.labels.length === before) throw new HttpError(404, 'Label does not exist');
    i.updatedAt = context.state.now();
  });
  return ok(issueLabels(context.state, repo, issue));
}

function listLabels(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  return pagedReply(context.url, context.query, [...repo.labels.values()], (label) => renderLabel(context.state, repo, label));
}

function createLabelRoute(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const body = context.body as Record<string, unknown>;
  const name = requireString(body, 'name', 'Label');
  if (repo.labels.has(name.toLowerCase())) throw validationFailed({ resource: 'Label', code: 'already_exists', field: 'name' });
  const label = createLabel(context.state, repo, name, optionalString(body, 'color', 'Label'), optionalString(body, 'description', 'Label') ?? null);
  return created(renderLabel(context.state, repo, label));
}

function getLabel(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const label = repo.labels.get(context.params.name!.toLowerCase());
  if (!label) throw notFound();
  return ok(renderLabel(context.state, repo, label));
}

function updateLabel(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const label = repo.labels.get(context.params.name!.toLowerCase());
  if (!label) throw notFound();
  const body = context.body as Record<string, unknown>;
  const newName = optionalString(body, 'new_name', 'Label');
  const color = optionalString(body, 'color', 'Label');
  const description = optionalString(body, 'description', 'Label');
  if (color) label.color = color.replace(/^#/, '');
  if (description !== undefined) label.description = description;
  if (newName && newName !== label.name) {
    repo.labels.delete(label.name.toLowerCase());
    for (const issue of repo.issues.values()) issue.labels = issue.labels.map((name) => (name.toLowerCase() === label.name.toLowerCase() ? newName : name));
    label.name = newName;
    repo.labels.set(newName.toLowerCase(), label);
  }
  return ok(renderLabel(context.state, repo, label));
}

function deleteLabel(context: RouteContext<GitHubStore>): Reply {
  const repo = repoOf(context);
  const key = context.params.name!.toLowerCase();
  if (!repo.labels.delete(key)) throw notFound();
  for (const issue of repo.issues.values()) issue.labels = issue.labels.filter((name) => name.toLowerCase() !== key);
  return noContent();
}
