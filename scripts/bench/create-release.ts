/**
 * create-release figures: a release over 5,000 commits between two releases, the built bundle run
 * through the runner-faithful harness against the GitHub simulator (real Octokit, real HTTP,
 * compare paged 100 at a time). Seeding the history and the action's run are timed separately; the
 * action's time includes the Node 24 cold start and the client's 1 s spacing of writes. The same
 * size of range is then released from a full local checkout (`fetch-depth: 0`), where git answers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGitHubSimulator } from '../../packages/simulators/github';
import { runAction } from '../../test/harness/run-action';
import { median, type BenchFigure } from './types';

const REPO = 'connect2/connect2-api';
const COMMITS = 5000;
const DRY_RUNS = 3;

/** A history like the runbook's: squash-merged feature PRs, with a promotion merge every 100 commits. */
function seedHistory(gh: Awaited<ReturnType<typeof startGitHubSimulator>>): string {
  gh.seed.repo('connect2', 'connect2-api', { defaultBranch: 'main' });
  let tip = gh.seed.commit(REPO, { message: 'feat: first release', parents: [], author: 'alice' });
  gh.seed.tag(REPO, 'v1.2.3', tip);
  const kinds = ['feat(api): endpoint', 'fix(db): query', 'perf: cache', 'chore: deps', 'docs: readme', 'refactor: tidy', 'chore: ci', 'test: cover'];
  const authors = ['alice', 'bob', 'carol', 'dana'];
  let seeded = 0;
  let pr = 100;
  while (seeded < COMMITS) {
    // 99 commits on a side line, then the promotion merge that brings them: 100 commits a block.
    const fork = tip;
    let side = fork;
    for (let i = 0; i < 99 && seeded < COMMITS - 1; i++, seeded++, pr++) {
      side = gh.seed.commit(REPO, { message: `${kinds[pr % kinds.length]} ${pr} (#${pr})`, parents: [side], author: authors[pr % authors.length] });
    }
    tip = gh.seed.commit(REPO, { message: `Merge pull request #${pr++} from connect2/staging\n\nRelease`, parents: [fork, side], author: 'alice' });
    seeded++;
  }
  gh.seed.branch(REPO, 'main', tip);
  return tip;
}

/** A git repository of COMMITS commits after a v1.2.3 root, written with fast-import, mirrored into the simulator. */
function seedLocal(gh: Awaited<ReturnType<typeof startGitHubSimulator>>, dir: string): { target: string; gitMs: number; mirrorMs: number } {
  const gitStart = performance.now();
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const kinds = ['feat(api): endpoint', 'fix(db): query', 'perf: cache', 'chore: deps', 'docs: readme'];
  const stream: string[] = [];
  for (let i = 0; i <= COMMITS; i++) {
    const message = i === 0 ? 'feat: first release' : `${kinds[i % kinds.length]} ${i} (#${i + 100})`;
    const bytes = Buffer.byteLength(message);
    stream.push(`commit refs/heads/main\nmark :${i + 1}\ncommitter Dev <${1000 + (i % 4)}+dev${i % 4}@users.noreply.github.com> ${1_700_000_000 + i} +0000\ndata ${bytes}\n${message}\n`);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream.join('') });
  const gitMs = performance.now() - gitStart;

  const mirrorStart = performance.now();
  gh.seed.repo('connect2', 'connect2-api', { defaultBranch: 'main' });
  const log = execFileSync('git', ['log', '--reverse', '--topo-order', '--format=%H%x00%P%x00%ae%x00%B%x1e', 'main'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let target = '';
  let first = true;
  for (const record of log.split('\x1e')) {
    const [sha, parents, email, message] = record.replace(/^\n/, '').split('\x00');
    if (!sha) continue;
    const login = /\+(\w+)@/.exec(email ?? '')?.[1] ?? null;
    gh.seed.commit(REPO, { sha, message: message.trim(), parents: parents.split(' ').filter(Boolean), author: login });
    if (first) gh.seed.tag(REPO, 'v1.2.3', sha);
    first = false;
    target = sha;
  }
  gh.seed.branch(REPO, 'main', target);
  return { target, gitMs, mirrorMs: performance.now() - mirrorStart };
}

async function localCheckoutFigures(): Promise<BenchFigure[]> {
  const gh = await startGitHubSimulator();
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-create-release-'));
  try {
    const { target, gitMs, mirrorMs } = seedLocal(gh, dir);
    const samples: number[] = [];
    for (let i = 0; i < DRY_RUNS; i++) {
      const dry = await runAction('create-release', { token: gh.token, cwd: dir, inputs: { 'dry-run': 'true' }, env: { ...gh.env, GITHUB_SHA: target } });
      if (dry.exitCode !== 0 || !dry.log.includes('History from the local checkout')) throw new Error(`local dry run failed: ${dry.errors.join(' ')}`);
      samples.push(dry.main.durationMs);
    }
    const compares = gh.requests.filter((r) => r.path.includes('/compare/')).length;
    return [
      { name: `seed ${COMMITS.toLocaleString('en')} commits into a local git repository + mirror into the simulator`, value: Math.round(gitMs + mirrorMs), unit: 'ms', note: `git fast-import ${Math.round(gitMs)} ms, mirror ${Math.round(mirrorMs)} ms` },
      { name: `release over ${COMMITS.toLocaleString('en')} commits from a full local checkout: dry run`, value: Math.round(median(samples)), unit: 'ms', note: `median of ${DRY_RUNS}; git log instead of the compare API (${compares} compare calls)` },
    ];
  } finally {
    await gh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchFigure[]> {
  return [...(await apiFigures()), ...(await localCheckoutFigures())];
}

async function apiFigures(): Promise<BenchFigure[]> {
  const gh = await startGitHubSimulator();
  try {
    const seedStart = performance.now();
    const target = seedHistory(gh);
    const seedMs = performance.now() - seedStart;

    const release = (inputs: Record<string, string>) =>
      runAction('create-release', { token: gh.token, inputs, env: { ...gh.env, GITHUB_SHA: target } });

    const dry: number[] = [];
    for (let i = 0; i < DRY_RUNS; i++) {
      const dryRun = await release({ 'dry-run': 'true' });
      if (dryRun.exitCode !== 0) throw new Error(`dry run failed: ${dryRun.errors.join(' ')}`);
      dry.push(dryRun.main.durationMs);
    }

    const before = gh.requests.length;
    const created = await release({ 'update-major-tag': 'true' });
    if (created.exitCode !== 0 || created.outputs.created !== 'true') throw new Error(`release failed: ${created.errors.join(' ')}`);
    const requests = gh.requests.length - before;

    const rerun = await release({ 'update-major-tag': 'true' });
    if (rerun.outputs.created !== 'false') throw new Error('the rerun created something');

    const body = created.outputs.notes.length;
    return [
      { name: `seed ${COMMITS.toLocaleString('en')} commits (50 promotion merges) into the simulator`, value: Math.round(seedMs), unit: 'ms', note: 'in process, no HTTP' },
      { name: `release over ${COMMITS.toLocaleString('en')} commits: dry run (compute + notes)`, value: Math.round(median(dry)), unit: 'ms', note: `median of ${DRY_RUNS} bundle runs, Node 24 cold start included` },
      { name: `release over ${COMMITS.toLocaleString('en')} commits: tag + release + major tag`, value: created.main.durationMs, unit: 'ms', note: `${created.outputs.tag}; includes the throttling plugin's 1 s spacing of writes` },
      { name: 'API requests of that release', value: requests, unit: 'calls', note: 'compare paged 100 a page, plus refs and releases' },
      { name: 'rerun for the released commit (nothing created)', value: rerun.main.durationMs, unit: 'ms' },
      { name: 'release notes size', value: body, unit: 'chars', note: 'fitted under GitHub’s 125,000-character body limit' },
    ];
  } finally {
    await gh.close();
  }
}
