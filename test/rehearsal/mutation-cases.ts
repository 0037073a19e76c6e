/**
 * A broken template must break the rehearsal: each edit a platform team could make by mistake, applied
 * to a copy of workflows-templates/, makes the rehearsal fail with a line naming the stage and the
 * expectation that broke. The cases are shared out over a few test files (mutations-N.test.ts) so the
 * full tier's workers play them side by side: each is a whole rehearsal up to its stage.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isSeq, parseDocument, visit, type Document } from 'yaml';
import { realStack } from '../../packages/simulators/postgres';
import { rehearse, STAGES_THAT_STAND_ALONE } from '../../scripts/rehearsal';
import { repoRoot } from '../harness/run-action';

type Edit = (file: string, doc: Document) => void;

function mutatedCopy(edit: Edit): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mutated-templates-'));
  cpSync(path.join(repoRoot, 'workflows-templates'), dir, { recursive: true });
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.yml'))) {
    const full = path.join(dir, file);
    const doc = parseDocument(readFileSync(full, 'utf8'));
    edit(file, doc);
    writeFileSync(full, doc.toString());
  }
  return dir;
}

/** Every step (a mapping inside a `steps:` sequence) of the document. */
function forEachStep(doc: Document, fn: (step: import('yaml').YAMLMap, steps: import('yaml').YAMLSeq) => void): void {
  visit(doc, {
    Pair(_, pair) {
      if (String((pair.key as { value?: unknown })?.value) === 'steps' && isSeq(pair.value)) {
        for (const item of [...pair.value.items]) if (isMap(item)) fn(item, pair.value);
      }
    },
  });
}

const uses = (step: import('yaml').YAMLMap) => String(step.get('uses') ?? '');

/**
 * The cases play scripted images (half the CPU of the real stack: the full tier fits CI's budget), except
 * those marked `realStack`, whose break only the real app shows; rehearsal.test.ts plays the whole story
 * on the real stack. `standalone`: the stage plays on its own (`rehearse({ only: [stage] })`), so the case needs no earlier
 * stage. The stages that stand alone in the rehearsal itself (STAGES_THAT_STAND_ALONE) always do.
 */
const MUTATIONS: { name: string; stage: number; edit: Edit; needsTerraform?: boolean; standalone?: boolean; realStack?: boolean }[] = [
  {
    name: "rollback.yml's downgrade without its task-definition: (the service's current, older code)",
    stage: 9,
    edit: (file, doc) => file === 'rollback.yml' && forEachStep(doc, (step) => {
      const inputs = step.get('with');
      if (uses(step).includes('/run-migration@') && isMap(inputs)) inputs.delete('task-definition');
    }),
  },
  {
    // Real stack: the old code knows no new revision, so Alembic migrates nothing and the new code
    // meets a schema without its table (stage 3: the migration PR's deploy logs no Running upgrade).
    name: "deploy.yml's migration without its task-definition: (the revision already running, not the one just registered)",
    stage: 3,
    realStack: true,
    edit: (file, doc) => file === 'deploy.yml' && forEachStep(doc, (step) => {
      const inputs = step.get('with');
      if (uses(step).includes('/run-migration@') && isMap(inputs)) inputs.delete('task-definition');
    }),
  },
  {
    // A team making deploy.yml safe to call from elsewhere: its caller already holds the group, and GitHub
    // cancels the deploy as a deadlock instead of waiting forever.
    name: "deploy.yml's deploy job asks for the environment's deploy group its caller holds (GitHub's deadlock)",
    stage: 3,
    edit: (file, doc) => file === 'deploy.yml' && doc.setIn(['jobs', 'deploy', 'concurrency'], doc.createNode({ group: 'deploy-${{ inputs.environment }}', 'cancel-in-progress': false })),
  },
  {
    name: 'the run-migration step of the deploy workflow deleted',
    stage: 3,
    edit: (file, doc) => file === 'deploy.yml' && forEachStep(doc, (step, steps) => uses(step).includes('/run-migration@') && steps.items.splice(steps.items.indexOf(step), 1)),
  },
  {
    name: 'every expected-digest: input deleted',
    stage: 2,
    needsTerraform: true,
    edit: (_file, doc) => forEachStep(doc, (step) => {
      const inputs = step.get('with');
      if (isMap(inputs)) inputs.delete('expected-digest');
    }),
  },
  {
    // A team whose migrations live in migrations/ keeps only that clause: the migration PR's round trip is skipped.
    name: "pr-checks' Migration round trip only for migrations/ (the alembic/versions/ clause dropped)",
    stage: 1,
    realStack: true,
    edit: (file, doc) => file === 'pr-checks.yml' && doc.setIn(['jobs', 'migrations', 'if'], "!cancelled() && (needs.classify.outputs.infrastructure-files == '' || contains(needs.classify.outputs.infrastructure-files, 'migrations/'))"),
  },
  {
    name: 'continue-on-error: true on the classify-pr step',
    stage: 1,
    edit: (file, doc) => file === 'pr-checks.yml' && forEachStep(doc, (step) => uses(step).includes('/classify-pr@') && step.set('continue-on-error', true)),
  },
  {
    name: "the production deploy job's environment: removed",
    stage: 3,
    edit: (file, doc) => {
      if (file !== 'deploy.yml') return;
      const jobs = doc.get('jobs');
      if (isMap(jobs)) for (const pair of jobs.items) if (isMap(pair.value)) pair.value.delete('environment');
    },
  },
  {
    name: "the deploy step's cluster: changed to a cluster that does not exist",
    stage: 3,
    edit: (file, doc) => file === 'deploy.yml' && forEachStep(doc, (step) => {
      const inputs = step.get('with');
      if (uses(step).includes('/ecs-deploy@') && isMap(inputs) && !inputs.get('register-only')) inputs.set('cluster', 'connect2-api-cluster-gone');
    }),
  },
  {
    name: 'the image rebuilt in every environment (the build step without its if:)',
    stage: 4,
    edit: (file, doc) => file === 'deploy.yml' && forEachStep(doc, (step) => uses(step).includes('docker/build-push-action@') && step.delete('if')),
  },
  {
    name: "classify-pr's require-healthy-source removed from the PR checks",
    stage: 5,
    edit: (file, doc) => file === 'pr-checks.yml' && forEachStep(doc, (step) => {
      const inputs = step.get('with');
      if (uses(step).includes('/classify-pr@') && isMap(inputs)) inputs.delete('require-healthy-source');
    }),
  },
  {
    // GitHub adds success() to an if: without a status function and judges it over the whole chain of
    // needs: `apply` is skipped on an application-only push (stage 7's hotfix), so no release is created.
    // Bare, as the template writes it: `${{ }}` in the folded (>-) scalar the edit keeps is a format()
    // string to GitHub's parser, always true (the release job would then run in every environment).
    name: "the release job's if: without its status function (!cancelled())",
    stage: 7,
    edit: (file, doc) => file === 'deploy-on-merge.yml' && doc.setIn(['jobs', 'release', 'if'], "needs.changes.outputs.environment == 'prod' && needs.deploy.result == 'success'"),
  },
  // Stage 11 (issue 26): the guarantees that only matter when things overlap.
  {
    name: "deploy-on-merge's concurrency group removed (deploys of one environment no longer serialised)",
    stage: 11,
    edit: (file, doc) => file === 'deploy-on-merge.yml' && doc.delete('concurrency'),
  },
  {
    name: "deploy-on-merge's cancel-in-progress: true (a newer merge cancels the rollout in progress)",
    stage: 11,
    edit: (file, doc) => file === 'deploy-on-merge.yml' && doc.setIn(['concurrency', 'cancel-in-progress'], true),
  },
  {
    // Bare (see above): written with `${{ }}` this edit made the release job run in every environment and
    // broke stage 4's first release instead ("tag is 'v1.2.2'"), not the guarantee it names.
    name: "the release job's if: asking only that the deploy ran (a failed prod deploy still releases)",
    stage: 11,
    edit: (file, doc) => file === 'deploy-on-merge.yml' && doc.setIn(['jobs', 'release', 'if'], "!cancelled() && needs.changes.outputs.environment == 'prod' && needs.deploy.result != 'skipped'"),
  },
  {
    name: "the PR checks' classify-pr told that README files ship (deploy-ignore-paths without **/*.md)",
    stage: 11,
    edit: (file, doc) => file === 'pr-checks.yml' && forEachStep(doc, (step) => {
      const inputs = step.get('with');
      if (uses(step).includes('/classify-pr@') && isMap(inputs)) inputs.set('deploy-ignore-paths', 'docs/**');
    }),
  },
  // Rollback's order (issue 26): the downgrade first, the rollback only once it succeeded.
  {
    name: "rollback.yml's rollback job no longer waits for the downgrade's success (its if: asks only that the target was checked)",
    stage: 9,
    edit: (file, doc) => file === 'rollback.yml' && doc.setIn(['jobs', 'rollback', 'if'], "${{ !cancelled() && needs.resolve.result == 'success' }}"),
  },
  // The on-demand migration (issue 26): stage 11 missed this one (its deploys reached dev after the
  // migration had already finished); stage 14 pushes a merge while the migration runs.
  {
    name: "migrate.yml's group not the environment's deploy group (a migration beside a deploy)",
    stage: 14,
    edit: (file, doc) => file === 'migrate.yml' && doc.setIn(['jobs', 'migrate', 'concurrency', 'group'], 'migrate-${{ inputs.environment }}'),
  },
  {
    // The release would count as good with a Traceback in its logs and the key endpoint unchecked.
    name: 'the verify step removed from deploy.yml',
    stage: 12,
    edit: (file, doc) => file === 'deploy.yml' && forEachStep(doc, (step, steps) => step.get('id') === 'verify' && steps.items.splice(steps.items.indexOf(step), 1)),
  },
  // Stage 13 (issue 26): failures that stop what follows, and the guards played.
  {
    name: "deploy-on-merge's deploy job no longer waits for a successful apply (its if: without the apply's result)",
    stage: 13,
    needsTerraform: true,
    // Bare, as the template writes it: `${{ }}` inside the folded (>-) scalar the edit keeps would make
    // GitHub (and its parser, which the player uses) read a format() string, always true.
    edit: (file, doc) => file === 'deploy-on-merge.yml' && doc.setIn(['jobs', 'deploy', 'if'], "!cancelled() && needs.changes.outputs.application == 'true'"),
  },
  {
    name: "terraform-apply.yml's 'Record the apply' step removed (a Terraform-only merge leaves no deployment behind)",
    stage: 13,
    needsTerraform: true,
    edit: (file, doc) => file === 'terraform-apply.yml' && forEachStep(doc, (step, steps) => step.get('name') === 'Record the apply' && steps.items.splice(steps.items.indexOf(step), 1)),
  },
  {
    // The promotion stage 4 merges into main is the PR not to backport.
    name: 'hotfix-backport for any PR merged into main (its if: without the hotfix/* branch)',
    stage: 4,
    edit: (file, doc) => file === 'hotfix-backport.yml' && doc.setIn(['jobs', 'backport', 'if'], '${{ github.event.pull_request.merged }}'),
  },
  {
    name: 'hotfix-backport cherry-picks only the merge commit, as for a squash (a merge commit or a rebased hotfix is not backported whole)',
    stage: 13,
    edit: (file, doc) => file === 'hotfix-backport.yml' && forEachStep(doc, (step) => {
      const run = String(step.get('run') ?? '');
      if (step.get('id') === 'pick') step.set('run', run.replace(/if \[ "\$parents" -eq 3 \][\s\S]*?\n\s*fi\n/, 'pick=("$MERGE_SHA")\n'));
    }),
  },
  {
    // The OIDC subject becomes environment:staging, which the staging deploy role trusts.
    name: "terraform.yml's plans of a promotion from staging run in their environment",
    stage: 13,
    needsTerraform: true,
    edit: (file, doc) => file === 'terraform.yml' && doc.setIn(['jobs', 'plan', 'environment'], "${{ github.head_ref == 'staging' && matrix.environment || '' }}"),
  },
  {
    name: "terraform-apply.yml's production-from-main guard removed",
    stage: 13,
    needsTerraform: true,
    edit: (file, doc) => file === 'terraform-apply.yml' && forEachStep(doc, (step) => {
      const run = String(step.get('run') ?? '');
      if (step.get('id') === 'find') step.set('run', run.replace(/ *if \[ "\$environment" = "prod" \][\s\S]*?\n\s*fi\n/, ''));
    }),
  },
  {
    // A fix pushed to an open PR would leave its failed checks red (stage 10 plays the failing test, then its fix).
    name: "pr-checks.yml no longer runs on synchronize (a new push to an open PR re-runs nothing)",
    stage: 10,
    edit: (file, doc) => file === 'pr-checks.yml' && doc.setIn(['on', 'pull_request', 'types'], doc.createNode(['opened', 'reopened', 'edited'])),
  },
  {
    name: "migrate.yml's 'Production runs from main only' step removed",
    stage: 8,
    standalone: true,
    edit: (file, doc) => file === 'migrate.yml' && forEachStep(doc, (step, steps) => step.get('name') === 'Production runs from main only' && steps.items.splice(steps.items.indexOf(step), 1)),
  },
  {
    // The label bypass always on: a PR that breaks /users' clients would merge without anyone labelling it.
    name: "pr-checks' API compatibility never fails (fail-on-breaking: false)",
    stage: 12,
    // The breaking change is the real app's OpenAPI document: the scripted stack does not play it.
    realStack: true,
    edit: (file, doc) => file === 'pr-checks.yml' && forEachStep(doc, (step) => {
      const inputs = step.get('with');
      if (uses(step).includes('/api-diff@') && isMap(inputs)) inputs.set('fail-on-breaking', false);
    }),
  },
];

const hasTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;
const stack = realStack();

/**
 * The stages a case plays: its stage alone when it stands alone; otherwise the story up to its stage,
 * without the stages that stand alone (none of them leaves anything the story reads).
 */
function stagesFor(mutation: (typeof MUTATIONS)[number]): number[] {
  if (mutation.standalone || STAGES_THAT_STAND_ALONE.includes(mutation.stage)) return [mutation.stage];
  return Array.from({ length: mutation.stage }, (_, index) => index + 1).filter((stage) => !STAGES_THAT_STAND_ALONE.includes(stage));
}

/**
 * Rough seconds each stage plays on scripted images (measured 2026-12-07, quiet machine; a real-stack
 * case costs about twice): only to share the cases out evenly, nothing asserts them.
 */
const STAGE_SECONDS: Record<number, number> = { 1: 17, 2: 18, 3: 22, 4: 46, 5: 10, 6: 6, 7: 16, 8: 4, 9: 41, 10: 45, 11: 60, 12: 50, 13: 75, 14: 30 };

const cost = (mutation: (typeof MUTATIONS)[number]) => stagesFor(mutation).reduce((sum, stage) => sum + STAGE_SECONDS[stage], 0) * (mutation.realStack ? 2 : 1);

/**
 * Part `part` (1-based) of `parts`: the costliest case first, each to the part with the least so far, so
 * the parts end at about the same time (the full tier waits for the last).
 */
function share(part: number, parts: number): typeof MUTATIONS {
  const totals = new Array<number>(parts).fill(0);
  const dealt = MUTATIONS.map(() => 0);
  const order = MUTATIONS.map((mutation, index) => ({ index, cost: cost(mutation) })).sort((a, b) => b.cost - a.cost || a.index - b.index);
  for (const { index, cost: seconds } of order) {
    const least = totals.indexOf(Math.min(...totals));
    dealt[index] = least + 1;
    totals[least] += seconds;
  }
  return MUTATIONS.filter((_, index) => dealt[index] === part);
}

export function describeMutations(part: number, parts: number): void {
  describe(`a broken template breaks the rehearsal (part ${part} of ${parts})`, () => {
    for (const mutation of share(part, parts)) {
      const missing = mutation.needsTerraform && !hasTerraform ? 'terraform, which is not on PATH' : mutation.realStack && 'missing' in stack ? `the real stack (${stack.missing})` : undefined;
      const skip = missing !== undefined;
      if (skip) console.log(`SKIPPED: mutation "${mutation.name}" needs ${missing}`);
      it.skipIf(skip)(`${mutation.name}: stage ${mutation.stage} fails, naming the expectation`, async () => {
        const timeline = await rehearse({ quiet: true, stopOnFailure: true, workflows: mutatedCopy(mutation.edit), only: stagesFor(mutation), stack: mutation.realStack ? undefined : 'scripted' });
        const lines = timeline.failureLines();
        expect(lines.length, 'the rehearsal passed with the broken template').toBeGreaterThan(0);
        expect(lines[0]).toMatch(new RegExp(`^Stage ${mutation.stage} \\([^)]+\\): expected ".+", but `));
      }, 900_000); // stage 9's cases play the story up to it: minutes on two busy cores
    }
  });
}

/** Every case, once: the parts together cover the list (test/rehearsal/mutation-parts.test.ts checks it). */
export const MUTATION_NAMES = MUTATIONS.map((mutation) => mutation.name);
export const shareNames = (part: number, parts: number) => share(part, parts).map((mutation) => mutation.name);
