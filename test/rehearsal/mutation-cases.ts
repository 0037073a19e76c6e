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
import { rehearse } from '../../scripts/rehearsal';
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

const MUTATIONS: { name: string; stage: number; edit: Edit; needsTerraform?: boolean }[] = [
  {
    name: "rollback.yml's downgrade without its task-definition: (the service's current, older code)",
    stage: 9,
    edit: (file, doc) => file === 'rollback.yml' && forEachStep(doc, (step) => {
      const inputs = step.get('with');
      if (uses(step).includes('/run-migration@') && isMap(inputs)) inputs.delete('task-definition');
    }),
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
    // needs: `apply` is skipped on an application-only push, so the release would never be created.
    name: "the release job's if: without its status function (!cancelled())",
    stage: 4,
    edit: (file, doc) => file === 'deploy-on-merge.yml' && doc.setIn(['jobs', 'release', 'if'], "${{ needs.changes.outputs.environment == 'prod' && needs.deploy.result == 'success' }}"),
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
    // Stage 11 plays a failed prod deploy too, but this edit already breaks stage 4's first release
    // (run with -t, 2026-12-07: "tag is 'v1.2.2' ... the notes do not list the users endpoint").
    name: "the release job's if: asking only that the deploy ran (a failed prod deploy still releases)",
    stage: 4,
    edit: (file, doc) => file === 'deploy-on-merge.yml' && doc.setIn(['jobs', 'release', 'if'], "${{ !cancelled() && needs.changes.outputs.environment == 'prod' && needs.deploy.result != 'skipped' }}"),
  },
  {
    name: "the PR checks' classify-pr told that README files ship (deploy-ignore-paths without **/*.md)",
    stage: 11,
    edit: (file, doc) => file === 'pr-checks.yml' && forEachStep(doc, (step) => {
      const inputs = step.get('with');
      if (uses(step).includes('/classify-pr@') && isMap(inputs)) inputs.set('deploy-ignore-paths', 'docs/**');
    }),
  },
  {
    // The release would count as good with a Traceback in its logs and the key endpoint unchecked.
    name: 'the verify step removed from deploy.yml',
    stage: 12,
    edit: (file, doc) => file === 'deploy.yml' && forEachStep(doc, (step, steps) => step.get('id') === 'verify' && steps.items.splice(steps.items.indexOf(step), 1)),
  },
  {
    // The label bypass always on: a PR that breaks /users' clients would merge without anyone labelling it.
    name: "pr-checks' API compatibility never fails (fail-on-breaking: false)",
    stage: 12,
    edit: (file, doc) => file === 'pr-checks.yml' && forEachStep(doc, (step) => {
      const inputs = step.get('with');
      if (uses(step).includes('/api-diff@') && isMap(inputs)) inputs.set('fail-on-breaking', false);
    }),
  },
];

const hasTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;

/** Part `part` (1-based) of `parts`: the cases by their stage, latest first, dealt out in turn, so each part gets long and short ones. */
function share(part: number, parts: number): typeof MUTATIONS {
  return [...MUTATIONS].sort((a, b) => b.stage - a.stage).filter((_, index) => index % parts === part - 1);
}

export function describeMutations(part: number, parts: number): void {
  describe(`a broken template breaks the rehearsal (part ${part} of ${parts})`, () => {
    for (const mutation of share(part, parts)) {
      const skip = mutation.needsTerraform && !hasTerraform;
      if (skip) console.log(`SKIPPED: mutation "${mutation.name}" needs terraform, which is not on PATH`);
      it.skipIf(skip)(`${mutation.name}: stage ${mutation.stage} fails, naming the expectation`, async () => {
        const timeline = await rehearse({ quiet: true, stopOnFailure: true, workflows: mutatedCopy(mutation.edit) });
        const lines = timeline.failureLines();
        expect(lines.length, 'the rehearsal passed with the broken template').toBeGreaterThan(0);
        expect(lines[0]).toMatch(new RegExp(`^Stage ${mutation.stage} \\([^)]+\\): expected ".+", but `));
      }, 900_000); // stages 11 and 12 need the whole rehearsal: minutes on two busy cores
    }
  });
}

/** Every case, once: the parts together cover the list (test/rehearsal/mutation-parts.test.ts checks it). */
export const MUTATION_NAMES = MUTATIONS.map((mutation) => mutation.name);
export const shareNames = (part: number, parts: number) => share(part, parts).map((mutation) => mutation.name);
