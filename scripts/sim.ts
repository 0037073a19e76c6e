/**
 * `npm run sim`: starts the local AWS and GitHub simulators for manual use, seeded with the
 * Connect 2.0 world of the rehearsal plus the failure cases to try by hand (an image whose tasks
 * crash, one that cannot be pulled, an open pull request that mixes infrastructure and application
 * code), and prints the variables to export and commands that work with the AWS CLI v1 and v2 and
 * with a bundle run as the runner runs it. Ctrl-C stops them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAwsSimulator } from '../packages/simulators/aws';
import { startGitHubSimulator } from '../packages/simulators/github';
import { pullRequestEvent } from '../test/harness/run-action';
import { RehearsalRepository } from './rehearsal/repository';
import { ENVIRONMENTS, FULL_REPO, OWNER, REPO, seedAws } from './rehearsal/world';

/** Tags pushed to every environment's ECR repository, each behaving as its name says. */
const SIM_TAGS = {
  next: 'a healthy image: a rollout to it completes',
  'crash-loop': 'every task exits with code 1 soon after it starts: the circuit breaker trips, ECS rolls back',
  'pull-failure': 'the image cannot be pulled (CannotPullContainerError): no task ever runs',
} as const;

const aws = await startAwsSimulator({});
const gh = await startGitHubSimulator({});
gh.seed.repo(OWNER, REPO, { defaultBranch: 'main' });
const repo = new RehearsalRepository(gh);
const initial = repo.init('chore: import Connect 2.0 API', ['main', 'staging', 'development']);
const initialTag = initial.slice(0, 12);
seedAws(aws, initialTag);
for (const env of ENVIRONMENTS) {
  aws.seed.logGroup(`/ecs/connect2-api-${env.name}`);
  aws.seed.image(env.repository, 'next');
  aws.seed.image(env.repository, 'crash-loop', { scenario: { kind: 'crash-loop', exitCode: 1, reason: 'Essential container in task exited' } });
  aws.seed.image(env.repository, 'pull-failure', { scenario: { kind: 'pull-failure' } });
}

// An open PR that classify-pr blocks: application and Terraform files in one change.
const head = 'feature/users-with-cache';
repo.commit(head, 'feat(api): users endpoint with a Redis session cache', 'alice', 'development');
const files = ['app/api/routes/users.py', 'app/services/session_cache.py', 'infrastructure/terraform/modules/redis/main.tf'];
const number = repo.pull(head, 'development', 'Add users endpoint with Redis cache', files);

// The runner's files, so a bundle run by hand has somewhere to write its outputs and summary.
const runnerDir = mkdtempSync(path.join(tmpdir(), 'connect2-sim-'));
const runnerFiles = {
  GITHUB_EVENT_PATH: path.join(runnerDir, 'event.json'),
  GITHUB_OUTPUT: path.join(runnerDir, 'output'),
  GITHUB_STEP_SUMMARY: path.join(runnerDir, 'summary.md'),
  GITHUB_STATE: path.join(runnerDir, 'state'),
  GITHUB_ENV: path.join(runnerDir, 'env'),
};
const event = pullRequestEvent({ number, head, headSha: repo.head(head), base: 'development', baseSha: repo.head('development'), changedFiles: files.length }, FULL_REPO);
writeFileSync(runnerFiles.GITHUB_EVENT_PATH, JSON.stringify(event, null, 2));
for (const file of Object.values(runnerFiles).slice(1)) writeFileSync(file, '');

const exports: Record<string, string> = {
  ...aws.env,
  // The AWS CLI reads AWS_DEFAULT_REGION; the SDKs read AWS_REGION.
  AWS_DEFAULT_REGION: aws.env.AWS_REGION,
  ...gh.env,
  GITHUB_TOKEN: gh.token,
  GITHUB_REPOSITORY: FULL_REPO,
  GITHUB_EVENT_NAME: 'pull_request',
  RUNNER_TEMP: runnerDir,
  ...runnerFiles,
};
const ecrHost = ENVIRONMENTS[0].repositoryUri.split('/')[0];
console.log('# Simulators running. In another shell, in this directory, paste these lines:');
for (const [name, value] of Object.entries(exports)) console.log(`export ${name}='${value}'`);
console.log('\n# Seeded:');
for (const env of ENVIRONMENTS) console.log(`#   ${env.cluster} / ${env.service} (log group /ecs/connect2-api-${env.name})`);
console.log(`#   ECR ${ecrHost}/connect2-api-{dev,staging,prod}, tags ${initialTag} (running now) and:`);
for (const [tag, what] of Object.entries(SIM_TAGS)) console.log(`#     ${tag.padEnd(12)} ${what}`);
console.log(`#   GitHub ${FULL_REPO}: main, staging, development; open PR #${number} ${head} -> development mixing app and Terraform files`);
console.log(`#   (GITHUB_EVENT_PATH holds its pull_request event, so classify-pr run by hand reads it)`);
console.log(`
# Then, with the AWS CLI (--endpoint-url: some AWS CLI versions ignore AWS_ENDPOINT_URL):
aws --version
aws --endpoint-url "$AWS_ENDPOINT_URL" ecs list-clusters
aws --endpoint-url "$AWS_ENDPOINT_URL" ecs list-services --cluster connect2-api-cluster-dev
aws --endpoint-url "$AWS_ENDPOINT_URL" logs describe-log-groups
aws --endpoint-url "$AWS_ENDPOINT_URL" sts get-caller-identity

# A bundle as the runner runs it (Node 24 from node_modules; INPUT_<NAME> keeps the hyphens, hence env):
env 'INPUT_CLUSTER=connect2-api-cluster-dev' 'INPUT_SERVICE=connect2-api-service-dev' \\
  'INPUT_IMAGE=${ecrHost}/connect2-api-dev:next' 'INPUT_POLL-INTERVAL-SECONDS=1' \\
  node_modules/node/bin/node dist/ecs-deploy/index.js
# The same with :crash-loop or :pull-failure fails and rolls back; classify-pr fails on PR #${number}:
env 'INPUT_GITHUB-TOKEN='"$GITHUB_TOKEN" node_modules/node/bin/node dist/classify-pr/index.js
cat "$GITHUB_STEP_SUMMARY"   # the job summaries, in Markdown
# Ctrl-C to stop.`);

const stop = async () => {
  await Promise.all([aws.close(), gh.close()]);
  rmSync(runnerDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
