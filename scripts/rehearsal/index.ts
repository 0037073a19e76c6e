/**
 * The local rehearsal: the runbook played as GitHub events through the workflow templates, by the
 * workflow player, against the local simulators of AWS and GitHub. Returns the timeline; the caller
 * decides the exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOOPBACK_WAIT_VARS } from '../../packages/github';
import { startAwsSimulator, type Scenario } from '../../packages/simulators/aws';
import { startGitHubSimulator } from '../../packages/simulators/github';
import { WorkflowPlayer } from '../../packages/workflow-player';
import { repoRoot } from '../../test/harness/run-action';
import { initialFiles, type Files } from './app-files';
import { usersEndpointPython, usersTableMigration } from './app-python';
import { startRealStack, type RealStack } from './real-stack';
import { executableFor, loadBalancedHealthUrls, prepareRealImages } from './real-app';
import { Developer } from './developer';
import { ENVIRONMENT_PROTECTION, environmentVars, RELEASE_APP, RELEASE_MANAGER, repositoryVars, roles } from './settings';
import {
  badImageIsRolledBack,
  CRASH_LOOP,
  developmentDeploys,
  failingMigrationStopsThePipeline,
  hotfixIsReleased,
  infrastructurePlanIsReviewed,
  mixedPullRequestIsBlocked,
  promotionsReachProduction,
  theTemplatesKeepGitHubsRules,
  type HealthEndpoint,
  type People,
  type StoryContext,
} from './stages';
import { gitHubRulesHold, protectBranchesAsTheReadmeSays, requiredChecksFromReadme } from './stage-github-rules';
import { failuresStopWhatFollows } from './stage-failures';
import { guaranteesUnderOverlap } from './stage-guarantees';
import { onDemandMigration } from './stage-migrate';
import { rollbackByDispatch } from './stage-rollback';
import { verificationAfterTheRollout } from './stage-verify';
import { startNotificationReceiver } from './notifications';
import { Timeline } from './timeline';
import { FULL_REPO, OWNER, REPO, seedAws } from './world';

export interface RehearsalOptions {
  quiet?: boolean;
  /** The workflow folder to rehearse (default workflows-templates/): a team's edited copy. */
  workflows?: string;
  /** Bundles to run instead of dist/<action>/index.js (tests use this to prove a broken action is caught). */
  bundles?: Record<string, string>;
  /** Stop after the first stage with a broken expectation (the mutation tests use it). */
  stopOnFailure?: boolean;
  /** Variables that override the rehearsal's own (a team's names for clusters, services...). */
  vars?: Record<string, string>;
  /** Play only these stage numbers (those that stand alone, e.g. 10), for working on one stage. */
  only?: number[];
  /** The whole rehearsal's time limit (default 20 minutes): past it, the stage playing fails by name and the rest is not played. */
  timeLimitMs?: number;
}

const DEFAULT_TIME_LIMIT_MS = 20 * 60_000;

/** Resolves 'timed-out' when `work` is still going at `deadline` (the work itself is left to its cancellation). */
async function beforeDeadline(work: Promise<unknown>, deadline: number): Promise<'done' | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const settled = work.then(() => 'done' as const);
  settled.catch(() => undefined); // once timed out, a later failure of the abandoned work is not an unhandled rejection
  const expired = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The stage that ran out of time, named, with the runs still in progress (what it waited for). */
function timedOut(timeline: Timeline, player: WorkflowPlayer, limitMs: number): void {
  const waiting = player.runs.filter((run) => run.status !== 'completed').map((run) => `run ${run.id} ${run.workflowFile} (${run.status}${run.concurrencyGroup ? `, concurrency group ${run.concurrencyGroup}` : ''})`);
  timeline.expect(`the stage finishes within the rehearsal's time limit (${Math.round(limitMs / 1000)} s)`, [`it was still playing when the time limit ran out; in progress: ${waiting.join('; ') || 'no workflow run (the story itself is stuck)'}`], 'timed out');
  for (const run of player.runs) if (run.status !== 'completed') player.cancel(run.id);
}

/**
 * The app behind the load balancer, scripted until the rehearsal runs the real app: the health endpoint
 * (a stage can make it answer 503) and the key endpoint the deploy verifies (`VERIFY_URLS`' default).
 */
async function startHealthEndpoint(): Promise<HealthEndpoint & { server: Server }> {
  const endpoint = { failing: false } as HealthEndpoint & { server: Server };
  endpoint.server = createServer((request, response) => {
    const found = request.url === '/health' || request.url === '/api/v1/users';
    const status = !found ? 404 : endpoint.failing ? 503 : 200;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(status === 200 ? { status: 'ok' } : status === 503 ? { status: 'database unreachable' } : { detail: 'Not Found' }));
  });
  await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(endpoint.server.address() as AddressInfo).port}/health`;
  return endpoint;
}

/**
 * Real stack: stages played alone (`only`) that all come after stage 3 start from the app stage 3
 * leaves, imported with the rest: the users table (migrated with the initial image) and its endpoint,
 * which every deploy's verify step checks. Played in order, stage 3 adds them itself.
 */
function worldOfLaterStages(only: number[] | undefined): Files {
  return only !== undefined && only.every((stage) => stage > 3) ? { ...usersTableMigration(), ...usersEndpointPython() } : {};
}

const hasTerraform = () => spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;

export async function rehearse(options: RehearsalOptions = {}): Promise<Timeline> {
  const started = Date.now();
  const timeline = new Timeline(options.quiet);
  const real: RealStack | undefined = await startRealStack(timeline);
  // The real stack runs the images' tasks as processes (SIGKILL 5 s after SIGTERM: uvicorn stops in less).
  const aws = await startAwsSimulator(real ? { processes: { executable: executableFor(real.python), stopTimeoutMs: 5000 } } : {});
  const gh = await startGitHubSimulator({ gitRoot: mkdtempSync(path.join(tmpdir(), 'rehearsal-git-')) });
  const health = await startHealthEndpoint();
  const notifications = await startNotificationReceiver();
  let player: WorkflowPlayer | undefined;
  try {
    gh.seed.repo(OWNER, REPO, { defaultBranch: 'main' });
    for (const [name, protection] of Object.entries(ENVIRONMENT_PROTECTION)) gh.seed.environment(FULL_REPO, name, protection);
    const person = (login: string) => new Developer({ login, token: gh.tokens.issue({ kind: 'user', login, permissions: 'all' }), gitUrl: gh.git.url(FULL_REPO), apiUrl: gh.url, repository: FULL_REPO });
    const platform = person('platform-bot');
    const files = { ...initialFiles(real ? 'pg' : 'local'), ...(real ? worldOfLaterStages(options.only) : {}) };
    const initial = platform.commit('chore: import Connect 2.0 API', files);
    await platform.pushAll(['main', 'staging', 'development']);
    await protectBranchesAsTheReadmeSays(platform, requiredChecksFromReadme(options.workflows));
    seedAws(aws, initial.slice(0, 12), real ? await prepareRealImages(aws, real, files) : undefined);
    // Real: each environment's health URL is its service's load balancer; scripted: one scripted endpoint.
    const healthUrls = real ? await loadBalancedHealthUrls(aws) : health.url;
    const people: People = { alice: person('alice'), bob: person('bob'), carol: person('carol'), dave: person('dave'), erin: person('erin'), releaseManager: person(RELEASE_MANAGER) };

    const approvals: StoryContext['approvals'] = [];
    const badImages = new Set<string>();
    const imageScenarios = new Map<string, Scenario>();
    player = new WorkflowPlayer({
      workflowsDir: options.workflows ?? path.join(repoRoot, 'workflows-templates'),
      log: timeline,
      world: {
        github: gh,
        aws,
        repository: FULL_REPO,
        vars: { ...repositoryVars(), NOTIFY_WEBHOOK_URL: notifications.url, ...(options.vars ?? {}) },
        environmentVars: environmentVars(healthUrls),
        secrets: { RELEASE_APP_PRIVATE_KEY: RELEASE_APP.privateKey },
        roles: roles(),
        app: RELEASE_APP,
        bundles: options.bundles,
        postgres: real?.postgres,
        python: real?.python,
        imageStore: real?.imageStore,
        // The GitHub the actions talk to is on loopback: none of the client's waits meant for github.com.
        runnerEnv: { ...real?.runnerEnv, ...Object.fromEntries(Object.values(LOOPBACK_WAIT_VARS).map((name) => [name, gh.env[name] ?? '0'])) },
        imageScenario: (sha) => (badImages.has(sha) ? CRASH_LOOP : imageScenarios.get(sha)),
        review: (request) => {
          approvals.push({ environment: request.environment, job: request.job, workflow: request.workflow });
          return 'approve';
        },
      },
    });
    await player.start();
    if (!options.quiet) console.log(`Rehearsal of the Connect 2.0 runbook for ${FULL_REPO}: workflows from ${path.relative(process.cwd(), options.workflows ?? path.join(repoRoot, 'workflows-templates')) || '.'}, simulators at ${aws.url} (AWS) and ${gh.url} (GitHub).`);
    const ctx: StoryContext = { player, timeline, gh, aws, people, badImages, imageScenarios, approvals, health, notifications, terraform: hasTerraform(), real, prs: {} };
    const stages = [mixedPullRequestIsBlocked, infrastructurePlanIsReviewed, developmentDeploys, promotionsReachProduction, badImageIsRolledBack, failingMigrationStopsThePipeline, hotfixIsReleased, theTemplatesKeepGitHubsRules, rollbackByDispatch, gitHubRulesHold, guaranteesUnderOverlap, verificationAfterTheRollout, failuresStopWhatFollows, onDemandMigration];
    const limitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
    const deadline = started + limitMs;
    for (const [index, stage] of stages.entries()) {
      if (options.only && !options.only.includes(index + 1)) continue;
      if ((await beforeDeadline(stage(ctx), deadline)) === 'timed-out') {
        timedOut(timeline, player, limitMs);
        break;
      }
      if (options.stopOnFailure && timeline.failed.length > 0) break;
    }
    return timeline;
  } finally {
    player?.stop();
    // A run that cannot end (the reason the limit ran out) must not hang the rehearsal's exit either.
    if (player) await beforeDeadline(player.idle(), Date.now() + 30_000);
    health.server.close();
    notifications.server.close();
    // The tasks' processes stop before their database and their image snapshots go.
    await Promise.all([aws.close(), gh.close()]);
    await real?.close();
  }
}
