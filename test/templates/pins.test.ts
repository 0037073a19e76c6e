import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAND_INS } from '../../packages/workflow-player';
import { REPO_ROOT } from './actions';
import { PINS, unverifiedPins } from './pins';

const files = [
  ...readdirSync(path.join(REPO_ROOT, 'workflows-templates')).filter((f) => f.endsWith('.yml')).map((f) => `workflows-templates/${f}`),
  ...readdirSync(path.join(REPO_ROOT, '.github/workflows')).filter((f) => f.endsWith('.yml')).map((f) => `.github/workflows/${f}`),
  'README.md',
  ...['classify-pr', 'terraform-plan-comment', 'ecs-deploy', 'wait-stable', 'run-migration', 'create-release', 'workflows-templates'].map((d) => `${d}/README.md`),
];

describe('outside actions are pinned to verified Node 24 releases', () => {
  it.each(files)('%s', (file) => {
    expect(unverifiedPins(readFileSync(path.join(REPO_ROOT, file), 'utf8'), file)).toEqual([]);
  });

  it('fails on an old or unverified pin', () => {
    expect(unverifiedPins('uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2', 'x.yml')).toHaveLength(1);
    expect(unverifiedPins('uses: someone/else@0123456789012345678901234567890123456789 # v1', 'x.yml')).toHaveLength(1);
    expect(unverifiedPins('uses: org/connect2-actions/ecs-deploy@v1', 'x.yml')).toEqual([]);
  });

  it('the workflow player has a stand-in for every pinned action the templates use', () => {
    const templates = readdirSync(path.join(REPO_ROOT, 'workflows-templates')).filter((f) => f.endsWith('.yml')).map((f) => readFileSync(path.join(REPO_ROOT, 'workflows-templates', f), 'utf8')).join('\n');
    const used = PINS.filter((pin) => templates.includes(`${pin.action}@`)).map((pin) => pin.action);
    expect(used.filter((action) => !STAND_INS.some((s) => s.action === action))).toEqual([]);
  });

  it('the templates README lists exactly the verified pins the templates use', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'workflows-templates', 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| ([\w.-]+\/[\w.-]+) \| (v[\d.]+) \| `([0-9a-f]{40})` \|$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    const templates = readdirSync(path.join(REPO_ROOT, 'workflows-templates')).filter((f) => f.endsWith('.yml')).map((f) => readFileSync(path.join(REPO_ROOT, 'workflows-templates', f), 'utf8')).join('\n');
    expect(rows.sort()).toEqual(PINS.filter((pin) => templates.includes(`${pin.action}@`)).map((pin) => `${pin.action} ${pin.version} ${pin.sha}`).sort());
  });
});
