/**
 * The local rehearsal: the whole runbook, played with the committed bundles (as the runner runs
 * them) against the local simulators of AWS and GitHub. Returns the timeline; the caller decides the
 * exit code.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAwsSimulator } from '../../packages/simulators/aws';
import { startGitHubSimulator } from '../../packages/simulators/github';
import { Pipeline } from './pipeline';
import { RehearsalRepository } from './repository';
import {
  badImageIsRolledBack,
  developmentDeploys,
  failingMigrationStopsThePipeline,
  hotfixIsReleased,
  infrastructurePlanIsReviewed,
  mixedPullRequestIsBlocked,
  promotionsReachProduction,
  type StoryContext,
} from './stages';
import { Timeline } from './timeline';
import { FULL_REPO, OWNER, REPO, seedAws } from './world';

export interface RehearsalOptions {
  quiet?: boolean;
  /** Bundles to run instead of dist/<action>/index.js (tests use this to prove a broken action is caught). */
  bundles?: Record<string, string>;
  /** Stop after the first stage with an unexpected outcome (the test of a broken bundle uses it). */
  stopOnFailure?: boolean;
}

/** The app's health endpoint, as the load balancer would expose it. */
async function startHealthEndpoint(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const ok = request.url === '/health';
    response.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(ok ? { status: 'ok' } : { detail: 'Not Found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health` };
}

export async function rehearse(options: RehearsalOptions = {}): Promise<Timeline> {
  const timeline = new Timeline(options.quiet);
  const aws = await startAwsSimulator({});
  const gh = await startGitHubSimulator({});
  const health = await startHealthEndpoint();
  try {
    gh.seed.repo(OWNER, REPO, { defaultBranch: 'main' });
    const repo = new RehearsalRepository(gh);
    const initial = repo.init('chore: import Connect 2.0 API', ['main', 'staging', 'development']);
    seedAws(aws, initial.slice(0, 12));
    const pipeline = new Pipeline(aws, gh, timeline, options.bundles);
    const ctx: StoryContext = { pipeline, repo, healthUrl: health.url };
    if (!options.quiet) console.log(`Rehearsal of the Connect 2.0 runbook for ${FULL_REPO}: simulators at ${aws.url} (AWS) and ${gh.url} (GitHub).`);

    const prs = { appPr: 0, infraPr: 0 };
    const stages: Array<() => Promise<unknown>> = [
      async () => Object.assign(prs, await mixedPullRequestIsBlocked(ctx)),
      () => infrastructurePlanIsReviewed(ctx, prs.infraPr),
      () => developmentDeploys(ctx, prs.appPr),
      () => promotionsReachProduction(ctx),
      () => badImageIsRolledBack(ctx),
      () => failingMigrationStopsThePipeline(ctx),
      () => hotfixIsReleased(ctx),
    ];
    for (const stage of stages) {
      await stage();
      if (options.stopOnFailure && timeline.failed.length > 0) break;
    }
    return timeline;
  } finally {
    health.server.close();
    await Promise.all([aws.close(), gh.close()]);
  }
}
