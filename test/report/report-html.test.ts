/**
 * The rehearsal's HTML report (scripts/rehearsal/report-html.ts): verdict first, stage titles, expected
 * failures shown as expected, and job summaries rendered as GitHub renders them (GFM, sanitised),
 * checked on the HTML and, when Chromium is installed, on the DOM a browser builds from it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReportHtml, renderSummaryMarkdown, type RehearsalReport } from '../../scripts/rehearsal/report-html';

/** The summaries below have the shapes the actions write (see the actions' summary code). */
const deploySummary = `## ✅ ECS deploy connect2-api-service-dev: \`deployed\`

rollout of connect2-api-dev:2 COMPLETED

|  |  |
| --- | --- |
| Task definition | connect2-api-dev:2 |
| Previous task definition | connect2-api-dev:1 |
| Duration | 2 s |

<details><summary>Task definition changes</summary>

\`\`\`diff
- "image": "123456789012.dkr.ecr.us-west-2.amazonaws.com/connect2-api-dev:87bc2f685669"
+ "image": "123456789012.dkr.ecr.us-west-2.amazonaws.com/connect2-api-dev@sha256:2d68"
\`\`\`

</details>

\`\`\`mermaid
gantt
  title Rollout
  dateFormat X
  register : 0, 1
  rollout : 1, 3
\`\`\`
`;

const rolledBackSummary = `## ❌ ECS deploy connect2-api-service-staging: \`rolled-back\`

| Revision | Tasks | Reason |
| --- | --- | --- |
| connect2-api-staging:3 | 0/2 | EssentialContainerExited: exit 1 |

- [x] circuit breaker tripped
- [x] service back on connect2-api-staging:2
`;

const hostileSummary = `### Migration logs

<script>document.title = 'pwned'</script>
<img src="x" onerror="document.title='pwned'">
<a href="javascript:alert(1)">click</a> and <a href="https://github.com/connect2/connect2-api/actions/runs/1">the run</a>

<details open><summary>Last 3 lines</summary>

\`\`\`
INFO  [alembic.runtime.migration] Running upgrade 3f2a -> 9c1d, add users table
sqlalchemy.exc.ProgrammingError: relation "users" already exists
\`\`\`

</details>
`;

const report: RehearsalReport = {
  verdict: 'failed',
  headline: '1 of 4 steps did not go as expected (stage 3), in 12.3 s.',
  generatedAt: '2026-11-26T10:00:00Z',
  stages: [
    {
      title: 'Merge to development deploys Dev',
      steps: [
        { run: 'ecs-deploy', name: 'roll out dev', expected: 'success', actual: 'success', asExpected: true, detail: 'status=deployed', durationMs: 2400, summaryMarkdown: deploySummary },
        { run: 'wait-stable', name: 'dev health', expected: 'success', actual: 'success', asExpected: true, detail: 'status=stable', durationMs: 800, summaryMarkdown: '' },
      ],
    },
    {
      title: 'A bad image reaches Staging: the circuit breaker trips',
      steps: [{ run: 'ecs-deploy', name: 'roll out staging', expected: 'failure', actual: 'failure', asExpected: true, detail: 'status=rolled-back', durationMs: 2500, summaryMarkdown: rolledBackSummary }],
    },
    {
      number: 3,
      title: 'A failing migration stops the pipeline',
      steps: [
        {
          run: 'run-migration',
          name: 'alembic upgrade head in dev',
          expected: 'failure',
          actual: 'success',
          asExpected: false,
          problems: ['exit-code is 0, expected 1'],
          detail: 'exit-code=0',
          durationMs: 2500,
          summaryMarkdown: hostileSummary,
        },
      ],
    },
  ],
};

const html = renderReportHtml(report);

/** What must not be left in a rendered report: Markdown or HTML that was shown as text. */
function leftoverMarkup(text: string): string[] {
  const problems: string[] = [];
  if (/\|\s*---\s*\|/.test(text)) problems.push('raw table markup (| --- |)');
  if (/&lt;\/?details|&lt;summary/.test(text)) problems.push('escaped <details>/<summary>');
  if (/```/.test(text)) problems.push('raw code fence');
  return problems;
}

describe('renderReportHtml', () => {
  it('puts the verdict and headline first, before any stage', () => {
    const verdict = html.indexOf('<div class="verdict failed" id="verdict">');
    expect(verdict).toBeGreaterThan(0);
    expect(html.indexOf('1 of 4 steps did not go as expected (stage 3), in 12.3 s.')).toBeGreaterThan(verdict);
    expect(html.indexOf('<section class="stage"')).toBeGreaterThan(verdict);
    expect(html).toContain('<title>connect2-actions rehearsal: FAILED</title>');
    expect(renderReportHtml({ ...report, verdict: 'ok', headline: 'All 4 steps went as expected.' })).toContain('<div class="verdict ok" id="verdict">✓ All 4 steps went as expected.');
  });

  it('shows every stage title, numbered', () => {
    expect(html).toContain('<h2>Stage 1 · Merge to development deploys Dev</h2>');
    expect(html).toContain('<h2>Stage 2 · A bad image reaches Staging: the circuit breaker trips</h2>');
    expect(html).toContain('<h2>Stage 3 · A failing migration stops the pipeline</h2>');
  });

  it('marks an expected failure as expected, apart from successes and from unexpected outcomes', () => {
    const step = (name: string) => {
      const at = html.indexOf(`${name}</h3>`);
      return html.slice(html.lastIndexOf('<article', at), html.indexOf('</article>', at));
    };
    expect(step('roll out dev')).toMatch(/^<article class="step ok">[\s\S]*✓ succeeded, as expected/);
    expect(step('roll out staging')).toMatch(/^<article class="step expected-failure">[\s\S]*✓ failed, as expected/);
    expect(step('alembic upgrade head in dev')).toMatch(/^<article class="step unexpected">[\s\S]*✗ success, expected failure[\s\S]*exit-code is 0, expected 1/);
    expect(html).toContain('4 steps: 2 succeeded, 1 failed as expected, 0 skipped as expected, 1 not as expected.');
  });

  it('renders job summaries as GitHub does: tables, <details>, task lists, fenced code; mermaid as code', () => {
    expect(leftoverMarkup(html)).toEqual([]);
    expect(html).not.toContain('<pre>## ');
    const deploy = renderSummaryMarkdown(deploySummary);
    expect(deploy).toContain('<h2>✅ ECS deploy connect2-api-service-dev: <code>deployed</code></h2>');
    expect(deploy).toMatch(/<table>\s*<thead>/);
    expect(deploy).toContain('<td>connect2-api-dev:2</td>');
    expect(deploy).toMatch(/<details><summary>Task definition changes<\/summary>\s*<pre><code class="language-diff">- "image"/);
    expect(deploy).toContain('<pre><code class="language-mermaid">gantt');
    expect(renderSummaryMarkdown(rolledBackSummary)).toContain('<input checked disabled type="checkbox" /> circuit breaker tripped');
  });

  it('sanitises summaries to GitHub\'s allow-list: no script, event handler or javascript: link', () => {
    const hostile = renderSummaryMarkdown(hostileSummary);
    expect(hostile).not.toMatch(/<script|onerror|javascript:/i);
    expect(hostile).toContain('<a href="https://github.com/connect2/connect2-api/actions/runs/1" rel="nofollow noopener noreferrer" target="_blank">the run</a>');
    expect(hostile).toContain('<details open><summary>Last 3 lines</summary>');
    expect(html).not.toMatch(/<script/i);
  });

  it('the leftover-markup check catches the old rendering (summaries escaped in a <pre>)', () => {
    const escaped = deploySummary.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(leftoverMarkup(`<pre>${escaped}</pre>`)).toEqual(['raw table markup (| --- |)', 'escaped <details>/<summary>', 'raw code fence']);
  });
});

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p);
const chromium = CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
if (!chromium) console.log(`SKIPPED: the report rendered in headless Chromium (none of ${CHROMIUM_CANDIDATES.join(', ')} exists; apt-get install chromium)`);

describe.skipIf(!chromium)('the report in headless Chromium', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'report-html-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'report.html');
  writeFileSync(file, html);
  const browse = (...args: string[]) =>
    promisify(execFile)(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', `--user-data-dir=${path.join(dir, 'profile')}`, ...args, `file://${file}`], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 32 * 1024 * 1024,
    });

  it('builds a DOM with the tables and <details> rendered and no raw or escaped markup left', async () => {
    const { stdout: dom } = await browse('--dump-dom');
    expect(dom).toContain('id="verdict"');
    expect(leftoverMarkup(dom)).toEqual([]);
    // One overview table, two summary tables; the <details> of each summary plus the two inside them.
    expect(dom.match(/<table/g)?.length).toBe(3);
    expect(dom.match(/<details/g)?.length).toBe(5);
    expect(dom).not.toMatch(/<script/i);
    expect(dom).toContain('<code class="language-mermaid">gantt');
  });

  it('renders to a screenshot (kept in a temporary directory, never committed)', async () => {
    const png = path.join(dir, 'report.png');
    await browse(`--screenshot=${png}`, '--window-size=1280,3000', '--hide-scrollbars');
    expect(statSync(png).size).toBeGreaterThan(10_000);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  });
});
