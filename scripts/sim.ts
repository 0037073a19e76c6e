/**
 * `npm run sim`: starts the local AWS and GitHub simulators for manual use, seeded with the
 * Connect 2.0 world of the rehearsal, and prints the variables to export so the AWS CLI, the SDK or
 * a bundle (`node dist/ecs-deploy/index.js` with INPUT_ variables) talk to them. Ctrl-C stops them.
 */
import { startAwsSimulator } from '../packages/simulators/aws';
import { startGitHubSimulator } from '../packages/simulators/github';
import { RehearsalRepository } from './rehearsal/repository';
import { ENVIRONMENTS, OWNER, REPO, seedAws } from './rehearsal/world';

const aws = await startAwsSimulator({});
const gh = await startGitHubSimulator({});
gh.seed.repo(OWNER, REPO, { defaultBranch: 'main' });
const initial = new RehearsalRepository(gh).init('chore: import Connect 2.0 API', ['main', 'staging', 'development']);
seedAws(aws, initial.slice(0, 12));

const exports = { ...aws.env, ...gh.env, GITHUB_TOKEN: gh.token };
console.log('# Simulators running. Export these in another shell:');
for (const [name, value] of Object.entries(exports)) console.log(`export ${name}='${value}'`);
console.log('\n# Seeded:');
for (const env of ENVIRONMENTS) console.log(`#   ${env.cluster} / ${env.service}, ECR ${env.repositoryUri}:${initial.slice(0, 12)}`);
console.log(`#   GitHub repository ${OWNER}/${REPO} with main, staging, development`);
console.log('# e.g. aws ecs describe-services --cluster connect2-api-cluster-dev --services connect2-api-service-dev');
console.log('# Ctrl-C to stop.');

const stop = async () => {
  await Promise.all([aws.close(), gh.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
