/**
 * How the platform team set the repository up, as the templates README asks: variables per
 * environment, the IAM roles and their OIDC trust, the protected production environment, the PR
 * tokens. The rehearsal hands these to the workflow player; a team's own copy sets its names through
 * `vars` the same way (`npm run rehearse -- --workflows <dir>`).
 */
import type { GitHubApp, RoleTrust } from '../../packages/workflow-player';
import { ENVIRONMENTS, FULL_REPO } from './world';

const ACCOUNT = '123456789012';
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/** Deploy and apply roles trust only their environment's deployments; plan roles only pull requests. */
export function roles(): Record<string, RoleTrust> {
  const result: Record<string, RoleTrust> = {};
  for (const env of ENVIRONMENTS) {
    // The `<env>-schema` environment guards rollback.yml's database downgrade with its own reviewers.
    result[roleArn(`connect2-deploy-${env.name}`)] = {
      subjects: [`repo:${FULL_REPO}:environment:${env.name}`, `repo:${FULL_REPO}:environment:${env.name}-schema`],
      description: `deploy, apply and downgrade ${env.name}`,
    };
    result[roleArn(`connect2-terraform-plan-${env.name}`)] = { subjects: [`repo:${FULL_REPO}:pull_request`], description: `read-only plan of ${env.name}` };
  }
  return result;
}

export function repositoryVars(): Record<string, string> {
  return {
    AWS_REGION: 'us-west-2',
    RELEASE_APP_ID: RELEASE_APP.appId,
    TF_PLAN_ROLE_ARN_DEV: roleArn('connect2-terraform-plan-dev'),
    TF_PLAN_ROLE_ARN_STAGING: roleArn('connect2-terraform-plan-staging'),
    TF_PLAN_ROLE_ARN_PROD: roleArn('connect2-terraform-plan-prod'),
    // The checks run for real on the checkout with the machine's python3 (no package index here).
    INSTALL_COMMAND: 'python3 --version',
    LINT_COMMAND: 'python3 -m compileall -q app tests',
    TYPECHECK_COMMAND: 'python3 -m py_compile app/main.py',
    TEST_COMMAND: 'python3 -m unittest discover -s tests -t . -q',
    // The simulator's ECS settles in seconds; poll it every second (the templates default to 5).
    ECS_POLL_INTERVAL_SECONDS: '1',
    // A failed health check is given up on after 5 s here (the templates wait 120 s by default).
    HEALTH_TIMEOUT_SECONDS: '5',
    // Each deploy is watched for 3 s after its rollout here (the templates bake 300 s by default).
    BAKE_SECONDS: '3',
  };
}

/** `healthUrl`: one for every environment (the scripted endpoint), or each environment's (its load balancer). */
export function environmentVars(healthUrl: string | Record<string, string>): Record<string, Record<string, string>> {
  return Object.fromEntries(
    ENVIRONMENTS.flatMap((env) => [
      [env.name, { AWS_ROLE_ARN: roleArn(`connect2-deploy-${env.name}`), HEALTH_URL: typeof healthUrl === 'string' ? healthUrl : healthUrl[env.name] }],
      [`${env.name}-schema`, { AWS_ROLE_ARN: roleArn(`connect2-deploy-${env.name}`) }],
    ]),
  );
}

/** Who approves production deployments (the `prod` environment's required reviewers). */
export const RELEASE_MANAGER = 'release-manager';

/**
 * The prod environments' required reviewers. With "prevent self-review" (the README's set-up) the
 * release manager cannot approve a deploy they triggered (merging the production PR, dispatching a
 * rollback): a second reviewer does.
 */
export const PROD_REVIEWERS = [RELEASE_MANAGER, 'erin'];

/** The environments as the templates README's "environments and protection rules" table sets them. */
export const ENVIRONMENT_PROTECTION: Record<string, { reviewers?: string[]; branches: string[]; preventSelfReview?: boolean }> = {
  dev: { branches: ['development'] },
  staging: { branches: ['staging'] },
  prod: { reviewers: PROD_REVIEWERS, preventSelfReview: true, branches: ['main'] },
  'prod-schema': { reviewers: PROD_REVIEWERS, preventSelfReview: true, branches: ['main'] },
};

/** The GitHub App that opens the pipeline's PRs (promotions, backports): its PRs run their checks. */
export const RELEASE_APP: GitHubApp = {
  appId: '424242',
  privateKey: '-----BEGIN RSA PRIVATE KEY-----rehearsal-----END RSA PRIVATE KEY-----',
  login: 'connect2-release[bot]',
  permissions: { contents: 'write', 'pull-requests': 'write' },
};
