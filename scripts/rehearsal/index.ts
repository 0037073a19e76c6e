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
import { NODE_COMPILE_CACHE_DIR, WorkflowPlayer } from '../../packages/workflow-player';
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
import { StageOutput } from './stage-output';
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
  /** 'scripted': scripted images even where the real stack is installed (REHEARSAL_STACK=scripted for one call). */
  stack?: 'scripted';
  /** The whole rehearsal's time limit (default 20 minutes): past it, the stage playing fails by name and the rest is not played. */
  timeLimitMs?: number;
}

const DEFAULT_TIME_LIMIT_MS = 20 * 60_000;

/** The stages, in the story's order: stage N is STAGES[N - 1]. */
const STAGES: Array<(ctx: StoryContext) => Promise<void>> = [mixedPullRequestIsBlocked, infrastructurePlanIsReviewed, developmentDeploys, promotionsReachProduction, badImageIsRolledBack, failingMigrationStopsThePipeline, hotfixIsReleased, theTemplatesKeepGitHubsRules, rollbackByDispatch, gitHubRulesHold, guaranteesUnderOverlap, verificationAfterTheRollout, failuresStopWhatFollows, onDemandMigration];

/**
 * The stages that stand alone: each keeps every expectation in a fresh world (`--stage N`), and no
 * other stage reads what it leaves behind (commits, PRs, releases, deployments, notifications). Each is
 * played in a world of its own, at once with the story; the report still lists every stage in order.
 * A stage that reads an earlier stage's work, or whose work a later stage counts, stays in the story.
 */
export const STAGES_THAT_STAND_ALONE = [10, 11, 12, 13, 14];

/**
 * What every job's environment gets besides the runner's variables: Node's compile cache (Node >= 22),
 * the one the player gives the bundles, so the Node processes of `run:` steps compile each file once
 * too. Only a cache: a program behaves the same with it or without.
 */
const RUNNER_CACHES = { NODE_COMPILE_CACHE: NODE_COMPILE_CACHE_DIR };

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
 * Real stack: a world whose stages all come after stage 3 (a stage played alone, or at once with the
 * story in a world of its own) starts from the app stage 3 leaves, imported with the rest: the users table (migrated with the initial image) and its endpoint,
 * which every deploy's verify step checks. Played in order, stage 3 adds them itself.
 */
function worldOfLaterStages(numbers: number[]): Files {
  return numbers.every((stage) => stage > 3) ? { ...usersTableMigration(), ...usersEndpointPython() } : {};
}

/**
 * A world whose stages all come after stage 4 starts with the release stage 4 cuts, v1.0.0, on the
 * imported commit: a later release is then the next version of it (stage 12's major bump), as in the story.
 */
function releaseOfLaterStages(gh: Awaited<ReturnType<typeof startGitHubSimulator>>, numbers: number[], sha: string): void {
  if (!numbers.every((stage) => stage > 4)) return;
  gh.seed.tag(FULL_REPO, 'v1.0.0', sha);
  gh.seed.release(FULL_REPO, { tag_name: 'v1.0.0', target_commitish: sha, name: 'v1.0.0', body: 'The Connect 2.0 API as imported (the release stage 4 cuts in the story).' });
}

const hasTerraform = () => spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;

/** What every world of one rehearsal shares: its options, its deadline, the ordered output, every world's timeline. */
interface Rehearsal {
  options: RehearsalOptions;
  limitMs: number;
  deadline: number;
  output: StageOutput;
  timelines: Timeline[];
}

interface World {
  ctx: StoryContext;
  player: WorkflowPlayer;
  close(): Promise<void>;
}

/** A world to play stages in: its own simulators, GitHub repository, people, player (and real stack, if any). */
async function openWorld(options: RehearsalOptions, timeline: Timeline, numbers: number[]): Promise<World> {
  const real: RealStack | undefined = await startRealStack(timeline, options.stack === 'scripted' ? { ...process.env, REHEARSAL_STACK: 'scripted' } : process.env);
  // The real stack runs the images' tasks as processes (SIGKILL 5 s after SIGTERM: uvicorn stops in less).
  const aws = await startAwsSimulator(real ? { processes: { executable: executableFor(real.python), stopTimeoutMs: 5000 } } : {});
  const gh = await startGitHubSimulator({ gitRoot: mkdtempSync(path.join(tmpdir(), 'rehearsal-git-')) });
  const health = await startHealthEndpoint();
  const notifications = await startNotificationReceiver();
  let player: WorkflowPlayer | undefined;
  const close = async () => {
    player?.stop();
    // A run that cannot end (the reason the limit ran out) must not hang the rehearsal's exit either.
    if (player) await beforeDeadline(player.idle(), Date.now() + 30_000);
    health.server.close();
    notifications.server.close();
    // The tasks' processes stop before their database and their image snapshots go.
    await Promise.all([aws.close(), gh.close()]);
    await real?.close();
  };
  try {
    gh.seed.repo(OWNER, REPO, { defaultBranch: 'main' });
    for (const [name, protection] of Object.entries(ENVIRONMENT_PROTECTION)) gh.seed.environment(FULL_REPO, name, protection);
    const person = (login: string) => new Developer({ login, token: gh.tokens.issue({ kind: 'user', login, permissions: 'all' }), gitUrl: gh.git.url(FULL_REPO), apiUrl: gh.url, repository: FULL_REPO });
    const platform = person('platform-bot');
    const files = { ...initialFiles(real ? 'pg' : 'local'), ...(real ? worldOfLaterStages(numbers) : {}) };
    const initial = platform.commit('chore: import Connect 2.0 API', files);
    await platform.pushAll(['main', 'staging', 'development']);
    releaseOfLaterStages(gh, numbers, initial);
    await protectBranchesAsTheReadmeSays(platform, requiredChecksFromReadme(options.workflows));
    seedAws(aws, initial.slice(0, 12), real ? await prepareRealImages(aws, real, files) : undefined);
    // Real: each environment's health URL is its service's load balancer; scripted: one scripted endpoint.
    const healthUrls = real ? await loadBalancedHealthUrls(aws) : health.url;
    const people: People = { alice: person('alice'), bob: person('bob'), carol: person('carol'), dave: person('dave'), erin: person('erin'), releaseManager: person(RELEASE_MANAGER) };
    const story = { badImages: new Set<string>(), imageScenarios: new Map<string, Scenario>(), approvals: [] as StoryContext['approvals'] };
    player = startPlayer(options, timeline, { gh, aws, healthUrls, notifications, real, ...story });
    await player.start();
    timeline.note(`simulators at ${aws.url} (AWS) and ${gh.url} (GitHub)`);
    return { ctx: { player, timeline, gh, aws, people, health, notifications, terraform: hasTerraform(), real, prs: {}, ...story }, player, close };
  } catch (error) {
    await close();
    throw error;
  }
}

type PlayerParts = Pick<StoryContext, 'gh' | 'aws' | 'notifications' | 'real' | 'badImages' | 'imageScenarios' | 'approvals'> & { healthUrls: Parameters<typeof environmentVars>[0] };

/** The workflow player of a world, set up as the platform team set the repository up (settings.ts). */
function startPlayer(options: RehearsalOptions, timeline: Timeline, { gh, aws, healthUrls, notifications, real, badImages, imageScenarios, approvals }: PlayerParts): WorkflowPlayer {
  return new WorkflowPlayer({
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
      runnerEnv: { ...real?.runnerEnv, ...Object.fromEntries(Object.values(LOOPBACK_WAIT_VARS).map((name) => [name, gh.env[name] ?? '0'])), ...RUNNER_CACHES },
      imageScenario: (sha) => (badImages.has(sha) ? CRASH_LOOP : imageScenarios.get(sha)),
      review: (request) => {
        approvals.push({ environment: request.environment, job: request.job, workflow: request.workflow });
        return 'approve';
      },
    },
  });
}

/**
 * Plays `numbers` in order in one world of their own. Stops at the deadline (naming the stage), or
 * with stopOnFailure before a stage when a stage before it broke an expectation in any world.
 */
async function playWorld(numbers: number[], timeline: Timeline, rehearsal: Rehearsal): Promise<void> {
  const { options, output } = rehearsal;
  const failedBefore = (number: number) => rehearsal.timelines.some((other) => other.failed.some((e) => e.stage < number));
  try {
    const world = await openWorld(options, timeline, numbers);
    try {
      for (const number of numbers) {
        if (options.stopOnFailure && failedBefore(number)) break;
        const started = Date.now();
        const outcome = await beforeDeadline(STAGES[number - 1](world.ctx), rehearsal.deadline);
        timeline.stageMs.set(number, Date.now() - started);
        output.done(number);
        if (outcome === 'timed-out') {
          timedOut(timeline, world.player, rehearsal.limitMs);
          break;
        }
      }
    } finally {
      await world.close();
    }
  } finally {
    for (const number of numbers) output.done(number);
  }
}

/**
 * Plays the stages: those that depend on what earlier ones left, in order in the story's world; each
 * stage that stands alone at once in a world of its own. Returns one timeline, in stage order.
 */
export async function rehearse(options: RehearsalOptions = {}): Promise<Timeline> {
  const wanted = STAGES.map((_, index) => index + 1).filter((number) => !options.only || options.only.includes(number));
  const alone = wanted.filter((number) => STAGES_THAT_STAND_ALONE.includes(number));
  const story = wanted.filter((number) => !alone.includes(number));
  const worlds = story.length > 0 ? [story, ...alone.map((number) => [number])] : alone.map((number) => [number]);
  const output = new StageOutput(wanted);
  const limitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const timelines = worlds.map((numbers, index) => new Timeline(options.quiet, (stage, line) => output.line(stage, line), index === 0 ? 0 : numbers[0]));
  const rehearsal: Rehearsal = { options, limitMs, deadline: Date.now() + limitMs, output, timelines };
  if (!options.quiet) console.log(`Rehearsal of the Connect 2.0 runbook for ${FULL_REPO}: workflows from ${path.relative(process.cwd(), options.workflows ?? path.join(repoRoot, 'workflows-templates')) || '.'}; stages ${alone.join(', ') || 'none'} stand alone, each played at once with the story in a world of its own.`);
  const played = await Promise.allSettled(worlds.map((numbers, index) => playWorld(numbers, timelines[index], rehearsal)));
  output.flush();
  const [timeline, ...others] = timelines;
  for (const [index, other] of others.entries()) {
    for (const number of worlds[index + 1]) other.playedAlone.add(number);
    timeline.absorb(other);
  }
  const broken = played.find((result) => result.status === 'rejected');
  if (broken) throw broken.reason;
  return timeline;
}
