/**
 * This repository's own workflows (.github/workflows: ci, release, codeql) pass the checks the
 * workflow templates pass (test/templates: GitHub's parser, the security rules, bash -n, the contract
 * with the bundle's action.yml files), and the release can only run on a commit whose CI passed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadActions } from './templates/actions';
import { checkContract } from './templates/contract';
import { githubParserErrors } from './templates/github-parser';
import { BUNDLE_PREFIX, checkSecurity, type Violation } from './templates/rules';
import { bashSyntaxProblems } from './templates/scripts';
import { events, isObject, jobs, parseWorkflowText, withOf, type Job, type Workflow } from './templates/workflow';
import { repoRoot } from './harness/run-action';

const dir = path.join(repoRoot, '.github', 'workflows');
const files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).sort();
const actions = loadActions();

/**
 * This repository calls its own actions by path (`uses: ./create-release`), where the templates write
 * `org/connect2-actions/create-release@v1`. The checks know the second form (which steps need which
 * grant, which inputs an action has), so a local action is checked as the bundle action it is.
 */
const asBundleActions = (text: string) => text.replace(/uses: \.\/([a-z-]+)\s*$/gm, (line, name: string) => (actions.has(name) ? `uses: ${BUNDLE_PREFIX}${name}@v1` : line));

const load = (file: string): Workflow => parseWorkflowText(file, readFileSync(path.join(dir, file), 'utf8'));
const loadChecked = (file: string): Workflow => parseWorkflowText(file, asBundleActions(readFileSync(path.join(dir, file), 'utf8')));

/**
 * Write grants the rules do not know a step for, each with the step that needs it: CodeQL uploads its
 * results to code scanning with security-events: write.
 */
const KNOWN_GRANTS: { where: string; scope: string; neededBy: RegExp }[] = [{ where: 'codeql.yml jobs.analyze', scope: 'security-events', neededBy: /^github\/codeql-action\/analyze@/ }];

function unexplained(workflow: Workflow, violations: Violation[]): Violation[] {
  return violations.filter((v) => {
    const known = KNOWN_GRANTS.find((k) => v.rule === 'job-permissions' && v.where === k.where && v.message.startsWith(`${k.scope}: write granted`));
    if (!known) return true;
    const job = jobs(workflow).find((j) => `${workflow.name} jobs.${j.id}` === known.where);
    return !job?.steps.some((step) => known.neededBy.test(String(step.data.uses ?? '')));
  });
}

describe('the repository workflows pass the template checks', () => {
  it('finds ci.yml, release.yml and codeql.yml', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'codeql.yml', 'release.yml']));
  });

  it.each(files)('%s: GitHub\'s workflow parser finds no error', async (file) => {
    expect(await githubParserErrors(load(file), [])).toEqual([]);
  });

  it.each(files)('%s: every security rule (pinned actions, least permissions, no expression in run, ...)', (file) => {
    const workflow = loadChecked(file);
    expect(unexplained(workflow, checkSecurity(workflow))).toEqual([]);
  });

  it.each(files)('%s: run scripts parse with bash -n', (file) => {
    expect(bashSyntaxProblems(load(file))).toEqual([]);
  });

  it.each(files)('%s: the bundle actions it calls get inputs they declare and give the outputs it reads', (file) => {
    const workflow = loadChecked(file);
    expect(checkContract(workflow, actions, [workflow])).toEqual([]);
  });

  it('the exception for security-events is needed (the rules do flag it) and nothing else is excepted', () => {
    const codeql = loadChecked('codeql.yml');
    const flagged = checkSecurity(codeql);
    expect(flagged.map((v) => `${v.where}: ${v.message}`)).toEqual(['codeql.yml jobs.analyze: security-events: write granted but no step of the job needs it']);
    expect(unexplained(codeql, flagged)).toEqual([]);
  });

  it('a workflow with an unpinned action or a write grant no step needs fails the same checks', () => {
    const text = readFileSync(path.join(dir, 'ci.yml'), 'utf8');
    const unpinned = parseWorkflowText('ci.yml', text.replace(/actions\/setup-node@[0-9a-f]{40} # v[\d.]+/, 'actions/setup-node@v6'));
    expect(checkSecurity(unpinned).map((v) => v.rule)).toContain('pinned-actions');
    const writes = parseWorkflowText('ci.yml', text.replace('      contents: read\n', '      contents: write\n'));
    expect(checkSecurity(writes).map((v) => v.rule)).toContain('job-permissions');
  });
});

const run = (job: Job) => job.steps.map((step) => String(step.data.run ?? '')).join('\n');

describe('ci.yml', () => {
  const ci = load('ci.yml');

  it('runs on pull requests and pushes to main', () => {
    const on = events(ci);
    expect(on).toHaveProperty('pull_request');
    expect(on.push).toEqual({ branches: ['main'] });
  });

  it('installs from the lock file, runs npm test, the stale-dist check (showing the diff) and the rehearsal', () => {
    const all = jobs(ci).map(run).join('\n');
    expect(all).toMatch(/^npm ci\b/m);
    expect(all).toMatch(/^npm test$/m);
    expect(all).toMatch(/^npm run check-dist$/m);
    expect(all).toMatch(/git --no-pager diff --text -- dist/);
    expect(all).toMatch(/^npm run rehearse$/m);
  });

  it('runs on the Node version of .nvmrc, which is 24 like the actions\' runs.using', () => {
    expect(readFileSync(path.join(repoRoot, '.nvmrc'), 'utf8').trim()).toBe('24');
    for (const job of jobs(ci)) {
      const setup = job.steps.find((step) => String(step.data.uses ?? '').startsWith('actions/setup-node@'));
      expect(withOf(setup!.data)['node-version-file']).toBe('.nvmrc');
    }
  });
});

describe('release.yml releases only a commit whose CI passed', () => {
  const release = load('release.yml');

  it('is started by nothing but the completion of ci on main', () => {
    expect(Object.keys(events(release))).toEqual(['workflow_run']);
    expect(events(release).workflow_run).toEqual({ workflows: ['ci'], types: ['completed'], branches: ['main'] });
    expect(parse(readFileSync(path.join(dir, 'ci.yml'), 'utf8')).name).toBe('ci');
  });

  it('every job that can write runs only after a successful CI run of a push to main, or after such a job', () => {
    const byId = new Map(jobs(release).map((job) => [job.id, job]));
    const guarded = (job: Job): boolean => {
      const condition = String(job.data.if ?? '');
      if (
        condition.includes("github.event.workflow_run.conclusion == 'success'") &&
        condition.includes("github.event.workflow_run.event == 'push'") &&
        condition.includes("github.event.workflow_run.head_branch == 'main'") &&
        !/\|\|/.test(condition)
      ) {
        return true;
      }
      const needs = typeof job.data.needs === 'string' ? [job.data.needs] : Array.isArray(job.data.needs) ? job.data.needs.map(String) : [];
      // A job runs only when its needs succeeded (no always()/failure() override).
      return needs.length > 0 && !/always\(\)|failure\(\)|cancelled\(\)/.test(condition) && needs.every((id) => guarded(byId.get(id)!));
    };
    const writers = jobs(release).filter((job) => isObject(job.data.permissions) && Object.values(job.data.permissions).includes('write'));
    expect(writers.map((job) => job.id)).toEqual(['release', 'changelog']);
    for (const job of writers) expect(guarded(job), `jobs.${job.id}`).toBe(true);
  });

  it('releases the commit CI tested (head_sha), not whatever main is now, moving v1', () => {
    const job = jobs(release).find((j) => j.id === 'release')!;
    const checkout = job.steps.find((step) => String(step.data.uses ?? '').startsWith('actions/checkout@'))!;
    expect(withOf(checkout.data).ref).toBe('${{ github.event.workflow_run.head_sha }}');
    const create = job.steps.find((step) => step.data.uses === './create-release')!;
    expect(withOf(create.data)).toEqual({ target: '${{ github.event.workflow_run.head_sha }}', 'update-major-tag': true });
  });
});

describe('dependabot.yml', () => {
  it('updates npm and GitHub Actions weekly, grouped', () => {
    const config = parse(readFileSync(path.join(repoRoot, '.github', 'dependabot.yml'), 'utf8'));
    expect(config.version).toBe(2);
    const ecosystems = config.updates.map((u: { 'package-ecosystem': string }) => u['package-ecosystem']);
    expect(ecosystems).toEqual(['npm', 'github-actions']);
    for (const update of config.updates) {
      expect(update.schedule.interval).toBe('weekly');
      expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0);
    }
  });
});
