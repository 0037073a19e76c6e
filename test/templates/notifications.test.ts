/**
 * The runbook's "team notified": every deploy, rollback and release job of the templates posts once to
 * NOTIFY_WEBHOOK_URL, only when the repository sets it, with the URL and the text passed through env
 * (never interpolated into run:), as a JSON body built by jq; the rehearsal records what is posted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/run-action';

type Step = { name?: string; if?: string; env?: Record<string, string>; run?: string };
type Workflow = { jobs: Record<string, { steps?: Step[] }> };

const workflow = (file: string) => parse(readFileSync(path.join(repoRoot, 'workflows-templates', file), 'utf8')) as Workflow;
const notifySteps = (file: string, job: string) => (workflow(file).jobs[job]?.steps ?? []).filter((s) => s.name === 'Notify the team');

describe('Notify the team', () => {
  it.each([
    ['deploy.yml', 'deploy'],
    ['rollback.yml', 'rollback'],
    ['deploy-on-merge.yml', 'release'],
  ])('%s job %s posts once, only when NOTIFY_WEBHOOK_URL is set', (file, job) => {
    const steps = notifySteps(file, job);
    expect(steps).toHaveLength(1);
    const [step] = steps;
    expect(step.if).toMatch(/vars\.NOTIFY_WEBHOOK_URL != ''/);
    expect(step.env?.NOTIFY_WEBHOOK_URL).toBe('${{ vars.NOTIFY_WEBHOOK_URL }}');
    expect(step.run).not.toMatch(/\$\{\{/);
    expect(step.run).toMatch(/jq -n --arg text "\$text" '\{text: \$text\}'/);
    expect(step.run).toMatch(/curl --fail .* "\$NOTIFY_WEBHOOK_URL"/);
    // The last step of its job, so it reports how the job ended.
    expect(workflow(file).jobs[job].steps!.at(-1)?.name).toBe('Notify the team');
  });
});
