// The player's GitHub rules, each through a small workflow written for it, played against the GitHub
// simulator (with real git over HTTP) and the AWS simulator.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAwsSimulator } from '../../packages/simulators/aws';
import { startGitHubSimulator } from '../../packages/simulators/github';
import { findJob, findStep, WorkflowPlayer, type PlayerWorld } from '../../packages/workflow-player';
import { Developer } from '../../scripts/rehearsal/developer';

const REPO = 'acme/app';
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function setUp(files: Record<string, string>, world: Partial<PlayerWorld> = {}) {
  const aws = await startAwsSimulator({});
  const gh = await startGitHubSimulator({ gitRoot: mkdtempSync(path.join(tmpdir(), 'player-git-')), repository: REPO });
  closers.push(() => aws.close(), () => gh.close());
  gh.seed.repo('acme', 'app', { defaultBranch: 'main' });
  const dir = mkdtempSync(path.join(tmpdir(), 'player-workflows-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const token = gh.tokens.issue({ kind: 'user', login: 'mona', permissions: 'all' });
  const mona = new Developer({ login: 'mona', token, gitUrl: gh.git.url(REPO), apiUrl: gh.url, repository: REPO });
  mona.commit('chore: start', { 'README.md': '# app\n' });
  await mona.pushAll(['main']);
  const player = await new WorkflowPlayer({ workflowsDir: dir, world: { github: gh, aws, repository: REPO, ...world } }).start();
  closers.push(async () => player.stop());
  return { gh, aws, player, mona, token };
}

describe('needs, if, outputs and status functions', () => {
  it('plays the job graph as GitHub does', async () => {
    const { player } = await setUp({
      'graph.yml': `on: workflow_dispatch
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      answer: \${{ steps.s.outputs.answer }}
    steps:
      - id: s
        run: echo "answer=42" >> "$GITHUB_OUTPUT"
  b:
    needs: a
    runs-on: ubuntu-latest
    steps:
      - name: tolerated
        id: tolerated
        continue-on-error: true
        run: exit 3
      - name: uses the output
        env:
          ANSWER: \${{ needs.a.outputs.answer }}
        run: test "$ANSWER" = 42 && exit 1
      - name: after a failure
        run: echo never
      - name: cleanup
        if: always()
        run: echo "outcome=\${{ steps.tolerated.outcome }} conclusion=\${{ steps.tolerated.conclusion }}"
  on-failure:
    needs: b
    if: failure()
    runs-on: ubuntu-latest
    steps:
      - run: echo handled
  default:
    needs: b
    runs-on: ubuntu-latest
    steps:
      - run: echo never
  grandchild:
    needs: default
    if: \${{ !cancelled() && failure() }}
    runs-on: ubuntu-latest
    steps:
      - run: echo "an ancestor failed"
`,
    });
    const run = await player.dispatch('graph.yml', 'main');
    expect(Object.fromEntries(run.jobs.map((j) => [j.key, j.conclusion]))).toEqual({ a: 'success', b: 'failure', 'on-failure': 'success', default: 'skipped', grandchild: 'success' });
    expect(findJob(run, 'a')?.outputs).toEqual({ answer: '42' });
    const b = findJob(run, 'b')!;
    expect(b.steps.map((s) => [s.name, s.outcome, s.conclusion])).toEqual([
      ['tolerated', 'failure', 'success'],
      ['uses the output', 'failure', 'failure'],
      ['after a failure', 'skipped', 'skipped'],
      ['cleanup', 'success', 'success'],
    ]);
    expect(findStep(run, 'cleanup')?.log).toContain('outcome=failure conclusion=success');
    expect(run.conclusion).toBe('failure');
  }, 60_000);

  it('judges the implicit success() over the whole chain of needs: a skipped ancestor skips a grandchild', async () => {
    // GitHub docs, jobs.<job_id>.needs: a job is skipped when a job it depends on, directly or not, is
    // skipped or failed, unless its if: uses a status function.
    const { player } = await setUp({
      'chain.yml': `on: workflow_dispatch
jobs:
  changes:
    runs-on: ubuntu-latest
    steps:
      - run: echo changes
  apply:
    needs: changes
    if: \${{ false }}
    runs-on: ubuntu-latest
    steps:
      - run: echo apply
  deploy:
    needs: [changes, apply]
    if: \${{ !cancelled() && needs.apply.result == 'skipped' }}
    runs-on: ubuntu-latest
    steps:
      - run: echo deploy
  implicit:
    needs: deploy
    if: \${{ needs.deploy.result == 'success' }}
    runs-on: ubuntu-latest
    steps:
      - run: echo never
  explicit:
    needs: deploy
    if: \${{ !cancelled() && needs.deploy.result == 'success' }}
    runs-on: ubuntu-latest
    steps:
      - run: echo released
`,
    });
    const run = await player.dispatch('chain.yml', 'main');
    expect(Object.fromEntries(run.jobs.map((j) => [j.key, j.conclusion]))).toEqual({ changes: 'success', apply: 'skipped', deploy: 'success', implicit: 'skipped', explicit: 'success' });
  }, 60_000);
});

describe('reusable workflows and matrix', () => {
  it('passes typed inputs in and outputs out; a matrix makes one job per leg', async () => {
    const { player } = await setUp({
      'callee.yml': `on:
  workflow_call:
    inputs:
      who:
        type: string
        required: true
      loud:
        type: boolean
        default: false
    outputs:
      greeting:
        value: \${{ jobs.greet.outputs.greeting }}
jobs:
  greet:
    runs-on: ubuntu-latest
    outputs:
      greeting: \${{ steps.g.outputs.greeting }}
    steps:
      - id: g
        env:
          WHO: \${{ inputs.who }}
          LOUD: \${{ inputs.loud }}
        run: echo "greeting=hello $WHO (loud=$LOUD)" >> "$GITHUB_OUTPUT"
`,
      'caller.yml': `on: workflow_dispatch
jobs:
  call:
    uses: ./.github/workflows/callee.yml
    with:
      who: mona
  legs:
    needs: call
    strategy:
      matrix:
        env: [dev, staging, prod]
    runs-on: ubuntu-latest
    steps:
      - env:
          GREETING: \${{ needs.call.outputs.greeting }}
          LEG: \${{ matrix.env }}
        run: echo "$GREETING in $LEG"
`,
    });
    const run = await player.dispatch('caller.yml', 'main');
    expect(run.conclusion).toBe('success');
    expect(findJob(run, 'call/greet')?.name).toBe('call / greet');
    const legs = run.jobs.filter((j) => j.id === 'legs').map((j) => j.name).sort();
    expect(legs).toEqual(['legs (dev)', 'legs (prod)', 'legs (staging)']);
    expect(run.jobs.find((j) => j.name === 'legs (prod)')?.steps[0].log).toContain('hello mona (loud=false) in prod');
  }, 60_000);

  it('a called job asking for more than its caller fails with GitHub’s message', async () => {
    const { player } = await setUp({
      'callee.yml': `on: workflow_call
jobs:
  write:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: echo hi
`,
      'caller.yml': `on: workflow_dispatch
permissions:
  contents: read
jobs:
  call:
    uses: ./.github/workflows/callee.yml
`,
    });
    const run = await player.dispatch('caller.yml', 'main');
    expect(findJob(run, 'call')?.notes.join(' ')).toContain("The nested job 'write' is requesting 'contents: write', but is only allowed 'contents: read'.");
  }, 60_000);
});

describe('concurrency', () => {
  it('a newer pending run cancels the older pending one; the running one finishes', async () => {
    const { player } = await setUp({
      'deploy.yml': `on: workflow_dispatch
concurrency:
  group: deploy-dev
  cancel-in-progress: false
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: sleep 1
`,
    });
    const runs = await Promise.all([player.dispatch('deploy.yml', 'main'), new Promise((r) => setTimeout(r, 100)).then(() => player.dispatch('deploy.yml', 'main')), new Promise((r) => setTimeout(r, 200)).then(() => player.dispatch('deploy.yml', 'main'))]);
    await player.idle();
    expect(player.runs.map((r) => r.conclusion)).toEqual(['success', 'cancelled', 'success']);
    expect(player.runs[1].notes[0]).toBe("Canceling since a higher priority waiting request for 'deploy-dev' exists");
    expect(runs).toHaveLength(3);
  }, 60_000);
});

describe('post: steps', () => {
  // One script for main and post, as ecs-deploy's action.yml declares (post: the same bundle): main
  // saves state, post (it sees STATE_phase) says whose post it is.
  const fakeBundle = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'player-post-'));
    const file = path.join(dir, 'index.mjs');
    writeFileSync(file, `import { appendFileSync } from 'node:fs';
if (process.env.STATE_phase === 'main') console.log('post of ' + process.env.INPUT_CLUSTER);
else { appendFileSync(process.env.GITHUB_STATE, 'phase=main\\n'); console.log('main of ' + process.env.INPUT_CLUSTER); }
`);
    return file;
  };
  const workflow = (between: string) => `on: workflow_dispatch
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - name: first
        uses: ./ecs-deploy
        with: { cluster: first, service: s, image: i }
      - name: second
        uses: ./ecs-deploy
        with: { cluster: second, service: s, image: i }
      - name: between
        run: ${between}
      - name: not after a cancellation
        run: echo never
`;

  it('run at the end of the job, the last registered first, after the other steps', async () => {
    const { player } = await setUp({ 'post.yml': workflow('echo between') }, { bundles: { 'ecs-deploy': fakeBundle() } });
    const run = await player.dispatch('post.yml', 'main');
    const job = run.jobs[0]!;
    expect(job.steps.map((step) => `${step.name}: ${step.conclusion}`)).toEqual(['first: success', 'second: success', 'between: success', 'not after a cancellation: success', 'Post second: success', 'Post first: success']);
    expect(job.steps.slice(-2).map((step) => step.log.trim())).toEqual(['post of second', 'post of first']);
    expect(job.steps[0]!.log.trim()).toBe('main of first');
  }, 60_000);

  it('still run after the job is cancelled (post-if defaults to always())', async () => {
    const marker = path.join(mkdtempSync(path.join(tmpdir(), 'player-post-marker-')), 'between-started');
    const { player } = await setUp({ 'post.yml': workflow(`touch ${marker} && sleep 5`) }, { bundles: { 'ecs-deploy': fakeBundle() } });
    const running = player.dispatch('post.yml', 'main');
    // Cancel once the step between has started (the cancel button, mid-job).
    while (!existsSync(marker)) await new Promise((resolve) => setTimeout(resolve, 50));
    player.cancel(player.runs[0]!.id);
    const run = await running;
    expect(run.conclusion).toBe('cancelled');
    // (How the step running at the cancel ends is the shell's business; what follows it is the point.)
    expect(run.jobs[0]!.steps.filter((step) => step.name !== 'between').map((step) => `${step.name}: ${step.conclusion}`)).toEqual(['first: success', 'second: success', 'not after a cancellation: skipped', 'Post second: success', 'Post first: success']);
  }, 60_000);
});

describe('environment protection rules', () => {
  const envWorkflow = `on: workflow_dispatch
jobs:
  prod:
    runs-on: ubuntu-latest
    environment: prod
    steps:
      - run: echo deployed
`;

  it('deployment branches: a job in the environment from another branch fails before its steps, in GitHub’s words', async () => {
    const { player, gh, mona } = await setUp({ 'env.yml': envWorkflow });
    gh.seed.environment(REPO, 'prod', { branches: ['main', 'release/*'] });
    await mona.branch('development', 'main');
    await mona.push('development');
    const refused = await player.dispatch('env.yml', 'development', {}, 'mona');
    expect(findJob(refused, 'prod')).toMatchObject({ conclusion: 'failure', steps: [] });
    expect(findJob(refused, 'prod')?.notes).toContain('Branch "development" is not allowed to deploy to prod due to environment protection rules.');
    await mona.push('release/1.2');
    expect(findJob(await player.dispatch('env.yml', 'release/1.2', {}, 'mona'), 'prod')?.conclusion).toBe('success');
    expect(findJob(await player.dispatch('env.yml', 'main', {}, 'mona'), 'prod')?.conclusion).toBe('success');
  }, 60_000);

  it('prevent self-review: the one who triggered the run cannot approve it; alone on the list, the job fails by name instead of waiting forever', async () => {
    const asked: string[][] = [];
    const { player, gh } = await setUp({ 'env.yml': envWorkflow }, { review: (request) => (asked.push(request.reviewers), 'approve') });
    gh.seed.environment(REPO, 'prod', { reviewers: ['release-manager', 'mona'], preventSelfReview: true });
    expect(findJob(await player.dispatch('env.yml', 'main', {}, 'mona'), 'prod')?.conclusion).toBe('success');
    expect(asked).toEqual([['release-manager']]);
    expect(gh.state.environments(REPO)[0]?.rendered).toMatchObject({ protection_rules: [{ type: 'required_reviewers', prevent_self_review: true }] });
    gh.seed.environment(REPO, 'prod', { reviewers: ['mona'] });
    const alone = await player.dispatch('env.yml', 'main', {}, 'mona');
    expect(findJob(alone, 'prod')?.conclusion).toBe('failure');
    expect(findJob(alone, 'prod')?.notes.join(' ')).toContain('prod requires a review, but its only required reviewer (mona) triggered this run and the environment prevents self-review');
    expect(asked).toHaveLength(1);
  }, 60_000);
});

describe('concurrency: called workflows, deadlocks, case', () => {
  it('a called workflow’s own top-level group, or one of its jobs’, held by its caller run is a deadlock: cancelled with GitHub’s words, never waited for', async () => {
    const { player } = await setUp({
      'pipeline.yml': `on: workflow_dispatch
concurrency:
  group: deploy-dev
jobs:
  deploy:
    uses: ./.github/workflows/called.yml
  migrate:
    uses: ./.github/workflows/job-level.yml
  apply:
    concurrency: deploy-prod
    uses: ./.github/workflows/plain.yml
`,
      'plain.yml': `on: workflow_call
jobs:
  apply:
    runs-on: ubuntu-latest
    steps:
      - run: echo applied
`,
      'called.yml': `on: workflow_call
concurrency:
  group: Deploy-Dev
jobs:
  inner:
    runs-on: ubuntu-latest
    steps:
      - run: echo never
`,
      'job-level.yml': `on: workflow_call
jobs:
  migrate:
    runs-on: ubuntu-latest
    concurrency: deploy-dev
    steps:
      - run: echo never
`,
    });
    const run = await player.dispatch('pipeline.yml', 'main');
    expect(run.conclusion).toBe('cancelled');
    expect(findJob(run, 'deploy')?.conclusion).toBe('cancelled');
    expect(findJob(run, 'deploy')?.notes[0]).toBe("Canceling since a deadlock for concurrency group 'Deploy-Dev' was detected between 'top level workflow' and 'deploy'");
    expect(findJob(run, /^migrate \/ migrate/)?.notes[0]).toBe("Canceling since a deadlock for concurrency group 'deploy-dev' was detected between 'top level workflow' and 'migrate'");
    // A caller job's own group over a called workflow without one is no deadlock.
    expect(findJob(run, /^apply \/ apply/)?.conclusion).toBe('success');
    expect(run.jobs.flatMap((job) => job.steps).map((step) => step.log.trim())).toEqual(['applied']);
  }, 60_000);

  it('a called workflow’s top-level group queues against other runs; group names compare case-insensitively', async () => {
    const { player } = await setUp({
      'caller.yml': `on: workflow_dispatch
jobs:
  call:
    uses: ./.github/workflows/callee.yml
`,
      'callee.yml': `on: workflow_call
concurrency:
  group: DEPLOY-dev
jobs:
  work:
    runs-on: ubuntu-latest
    steps:
      - run: sleep 1
`,
      'other.yml': `on: workflow_dispatch
concurrency: deploy-DEV
jobs:
  work:
    runs-on: ubuntu-latest
    steps:
      - run: sleep 1
`,
    });
    const first = player.dispatch('other.yml', 'main');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = player.dispatch('caller.yml', 'main');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const third = player.dispatch('other.yml', 'main');
    const runs = await Promise.all([first, second, third]);
    expect(runs.map((run) => run.conclusion)).toEqual(['success', 'cancelled', 'success']);
    expect(player.concurrency.cancellations.map((c) => c.reason)).toEqual(["Canceling since a higher priority waiting request for 'deploy-DEV' exists"]);
  }, 60_000);
});

describe('GitHub’s token rules', () => {
  const pusher = `on:
  push:
    branches: [main]
permissions:
  contents: write
jobs:
  push:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - run: |
          git config user.name bot && git config user.email bot@example.com
          git switch -c generated
          echo x > generated.txt && git add generated.txt && git commit -qm "chore: generated"
          git push -q origin generated
`;
  const onGenerated = `on:
  push:
    branches: [generated]
jobs:
  seen:
    runs-on: ubuntu-latest
    steps:
      - run: echo started
`;

  it('a push made with the GITHUB_TOKEN starts no workflow; the same push by a user does', async () => {
    const { player, mona } = await setUp({ 'pusher.yml': pusher, 'on-generated.yml': onGenerated });
    mona.commit('feat: change', { 'a.txt': 'a\n' });
    await mona.push('main');
    await player.idle();
    expect(player.runs.map((r) => `${r.workflowFile}:${r.conclusion}`)).toEqual(['pusher.yml:success']);
    expect(player.ignored).toEqual([expect.objectContaining({ event: 'push', detail: 'push refs/heads/generated' })]);
    await mona.branch('generated', 'generated');
    mona.commit('feat: by hand', { 'b.txt': 'b\n' });
    await mona.push('generated');
    await player.idle();
    expect(player.runs.map((r) => r.workflowFile)).toEqual(['pusher.yml', 'on-generated.yml']);
  }, 60_000);

  it('a write outside the job’s permissions is a 403', async () => {
    const { player } = await setUp({
      'comment.yml': `on: workflow_dispatch
permissions:
  contents: read
jobs:
  comment:
    runs-on: ubuntu-latest
    steps:
      - env:
          GH_TOKEN: \${{ github.token }}
        run: gh api -X POST "repos/\${GITHUB_REPOSITORY}/git/refs" -f ref=refs/heads/x -f sha=\${GITHUB_SHA}
`,
    });
    const run = await player.dispatch('comment.yml', 'main');
    const step = run.jobs[0].steps[0];
    expect(step.conclusion).toBe('failure');
    expect(step.log).toContain('Resource not accessible by integration');
  }, 60_000);

  it('an environment the repository lacks is created unprotected; required reviewers wait for the review', async () => {
    const reviews: string[] = [];
    const { player, gh } = await setUp(
      {
        'env.yml': `on: workflow_dispatch
jobs:
  dev:
    runs-on: ubuntu-latest
    environment: dev
    steps:
      - run: echo dev
  prod:
    runs-on: ubuntu-latest
    environment: prod
    steps:
      - run: echo prod
`,
      },
      { review: (request) => (reviews.push(`${request.environment}:${request.reviewers.join(',')}`), 'reject') },
    );
    gh.seed.environment(REPO, 'prod', { reviewers: ['release-manager'] });
    const run = await player.dispatch('env.yml', 'main');
    expect(findJob(run, 'dev')?.environment).toMatchObject({ name: 'dev', created: true, approval: 'not-required' });
    expect(findJob(run, 'prod')?.environment).toMatchObject({ name: 'prod', created: false, approval: 'rejected' });
    expect(findJob(run, 'prod')?.conclusion).toBe('failure');
    expect(reviews).toEqual(['prod:release-manager']);
  }, 60_000);
});

describe('labels on a pull request', () => {
  const onLabel = `on:
  pull_request:
    types: [labeled, unlabeled]
jobs:
  seen:
    runs-on: ubuntu-latest
    steps:
      - name: label
        env:
          LABEL: \${{ github.event.label.name }}
          ALL: \${{ join(github.event.pull_request.labels.*.name, ',') }}
          ACTION: \${{ github.event.action }}
        run: echo "$ACTION $LABEL [$ALL]"
`;

  it('a label a person adds starts the labeled types with the label in the event; one added with the GITHUB_TOKEN starts nothing', async () => {
    const { gh, player, mona } = await setUp({ 'on-label.yml': onLabel });
    await mona.branch('feature/x', 'main');
    mona.commit('feat: x', { 'x.txt': 'x\n' });
    await mona.push('feature/x');
    const number = await mona.openPullRequest('feature/x', 'main', 'feat: x');
    await player.idle();
    expect(player.runs).toHaveLength(0); // opened is not among the types
    await mona.addLabel(number, 'breaking-change');
    await player.idle();
    expect(player.runs.map((r) => `${r.event}/${r.action}:${r.conclusion}`)).toEqual(['pull_request/labeled:success']);
    expect(findStep(player.runs[0]!, 'label')?.log.trim()).toBe('labeled breaking-change [breaking-change]');
    const botToken = gh.tokens.issue({ kind: 'github-token', login: 'github-actions[bot]', permissions: { 'pull-requests': 'write' } });
    const bot = new Developer({ login: 'github-actions[bot]', token: botToken, gitUrl: gh.git.url(REPO), apiUrl: gh.url, repository: REPO });
    await bot.addLabel(number, 'application');
    await player.idle();
    expect(player.runs).toHaveLength(1);
    expect(player.ignored.at(-1)).toMatchObject({ event: 'pull_request', detail: `pull_request labeled #${number}` });
  });
});

describe('the checkout stand-in', () => {
  const checkouts = `on: workflow_dispatch
permissions:
  contents: read
jobs:
  look:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - id: seen
        run: |
          echo "remotes=$(git remote -v | tr '\\t\\n' ' ')" >> "$GITHUB_OUTPUT"
          echo "header=$(git config --get-all "http.$(git remote get-url origin).extraheader" | cut -c1-20)" >> "$GITHUB_OUTPUT"
          echo "head=$(git rev-parse HEAD)" >> "$GITHUB_OUTPUT"
          echo "readme=$(cat README.md)" >> "$GITHUB_OUTPUT"
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
          path: again
      - id: again
        working-directory: again
        run: echo "header=$(git config --get-all "http.$(git remote get-url origin).extraheader" | wc -l)" >> "$GITHUB_OUTPUT"
      - id: twice
        continue-on-error: true
        uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          path: again
`;

  it('leaves what actions/checkout leaves: origin, the persisted token (or none), the event commit; a second checkout into a repository fails as git remote add does', async () => {
    const { player, gh } = await setUp({ 'checkouts.yml': checkouts });
    const run = await player.dispatch('checkouts.yml', 'main');
    const [look] = run.jobs;
    const seen = look.steps.find((step) => step.id === 'seen');
    const url = gh.git.url(REPO);
    expect(seen?.outputs).toEqual({ remotes: `origin ${url} (fetch) origin ${url} (push) `, header: 'AUTHORIZATION: basic', head: run.sha, readme: '# app' });
    expect(look.steps[0].log).toContain(`HEAD is now at ${run.sha.slice(0, 7)}`);
    expect(look.steps.find((step) => step.id === 'again')?.outputs.header).toBe('0');
    const twice = look.steps.find((step) => step.id === 'twice');
    expect(twice?.outcome).toBe('failure');
    expect(twice?.errors.join('\n')).toContain('remote origin already exists');
  }, 60_000);
});
