/**
 * The rehearsal's HTML report: the run's verdict at the top, then each stage with its title and its
 * steps, each step marked by whether it went as expected (an expected failure is shown as expected,
 * not as a success nor as a problem), and each step's job summary rendered as GitHub renders it:
 * GitHub-flavoured Markdown (tables, task lists, fenced code, raw HTML blocks such as
 * <details>/<summary>), sanitised to GitHub's allow-list of HTML, mermaid blocks shown as code.
 * Self-contained: one file, inline CSS, no script.
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

export type StepOutcome = 'success' | 'failure' | 'skipped';

export interface ReportStep {
  /** What the step did, e.g. `roll out staging`. */
  name: string;
  /** The action or job that ran it, e.g. `ecs-deploy` (shown before the name). */
  run?: string;
  expected: StepOutcome;
  actual: StepOutcome;
  /** Whether the step went as the story says: its outcome and every check on it. */
  asExpected: boolean;
  /** What differed from the story when it did not go as expected. */
  problems?: string[];
  /** One line on what happened (status output, first error...). */
  detail: string;
  durationMs: number;
  /** The job summary the step wrote ($GITHUB_STEP_SUMMARY), Markdown as GitHub receives it. */
  summaryMarkdown: string;
}

export interface ReportStage {
  /** 1-based; defaults to the stage's position. */
  number?: number;
  title: string;
  steps: ReportStep[];
}

export interface RehearsalReport {
  title?: string;
  verdict: 'ok' | 'failed';
  /** One line, e.g. `All 39 steps went as expected in 36.6 s.` */
  headline: string;
  stages: ReportStage[];
  /** When the run happened (ISO 8601), shown under the verdict. */
  generatedAt?: string;
}

/**
 * Tags and attributes GitHub keeps when it renders Markdown (its sanitisation filter); everything
 * else, scripts, styles, event handlers and `javascript:` links included, is removed.
 */
const GITHUB_ALLOWED_TAGS = [
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'br', 'b', 'i', 'strong', 'em', 'a', 'pre', 'code', 'img', 'tt', 'div', 'ins', 'del', 'sup', 'sub', 'p',
  'picture', 'source', 'ol', 'ul', 'table', 'thead', 'tbody', 'tfoot', 'blockquote', 'dl', 'dt', 'dd', 'kbd', 'q', 'samp', 'var', 'hr', 'ruby',
  'rt', 'rp', 'li', 'tr', 'td', 'th', 's', 'strike', 'summary', 'details', 'caption', 'figure', 'figcaption', 'abbr', 'bdo', 'cite', 'dfn',
  'mark', 'small', 'span', 'time', 'wbr', 'input',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: GITHUB_ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'name', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height', 'align'],
    source: ['srcset', 'media', 'type'],
    div: ['align'],
    p: ['align'],
    h1: ['align'], h2: ['align'], h3: ['align'], h4: ['align'], h5: ['align'], h6: ['align'],
    td: ['align', 'colspan', 'rowspan'],
    th: ['align', 'colspan', 'rowspan'],
    details: ['open'],
    input: ['type', 'checked', 'disabled'],
    ol: ['start'],
    abbr: ['title'],
    time: ['datetime'],
  },
  // marked marks fenced code with its language; kept so a mermaid or diff block can be told apart.
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  // Task list checkboxes only; any other input is dropped.
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
  transformTags: {
    // Links leave the report in a new tab and carry no referrer, as on GitHub.
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow noopener noreferrer', target: '_blank' } }),
  },
};

const markdown = new Marked({ gfm: true, breaks: false });

/** A job summary as GitHub shows it: GitHub-flavoured Markdown, then GitHub's HTML allow-list. */
export function renderSummaryMarkdown(text: string): string {
  const html = markdown.parse(text, { async: false });
  return sanitizeHtml(html, SANITIZE);
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** How a step is shown: its CSS class, mark and words. */
function stepStatus(step: ReportStep): { className: 'ok' | 'expected-failure' | 'skipped' | 'unexpected'; mark: string; text: string } {
  if (!step.asExpected) {
    const outcome = step.actual === step.expected ? `${step.actual} as expected, but a check failed` : `${step.actual}, expected ${step.expected}`;
    return { className: 'unexpected', mark: '✗', text: outcome };
  }
  if (step.actual === 'failure') return { className: 'expected-failure', mark: '✓', text: 'failed, as expected' };
  if (step.actual === 'skipped') return { className: 'skipped', mark: '✓', text: 'skipped, as expected' };
  return { className: 'ok', mark: '✓', text: 'succeeded, as expected' };
}

const CSS = `
:root{color-scheme:light}
body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5;color:#1f2328;margin:0 auto;padding:2rem;max-width:1100px}
h1{font-size:1.8em;margin:0 0 .5rem}
.verdict{border-radius:6px;padding:1rem 1.25rem;margin:1rem 0 2rem;font-size:1.15em;border:1px solid}
.verdict.ok{background:#dafbe1;border-color:#4ac26b;color:#116329}
.verdict.failed{background:#ffebe9;border-color:#ff8182;color:#82071e}
.verdict small{display:block;font-size:.8em;color:#59636e}
table.overview{border-collapse:collapse;width:100%;margin-bottom:2rem}
table.overview td,table.overview th{border:1px solid #d1d9e0;padding:.3rem .6rem;text-align:left;vertical-align:top}
.stage{margin:2rem 0}
.stage>h2{border-bottom:1px solid #d1d9e0;padding-bottom:.3rem}
.step{border:1px solid #d1d9e0;border-left-width:6px;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
.step.ok{border-left-color:#1a7f37}
.step.expected-failure{border-left-color:#9a6700;background:#fff8c5}
.step.skipped{border-left-color:#818b98}
.step.unexpected{border-left-color:#d1242f;background:#ffebe9}
.status{font-weight:600}
.ok .status{color:#1a7f37}.expected-failure .status{color:#9a6700}.skipped .status{color:#59636e}.unexpected .status{color:#d1242f}
.problems{color:#d1242f;margin:.25rem 0}
.detail{color:#59636e;word-break:break-word}
.markdown-body{border-top:1px dashed #d1d9e0;margin-top:.5rem;padding-top:.5rem;overflow-x:auto}
.markdown-body table{border-collapse:collapse;display:block;overflow:auto}
.markdown-body td,.markdown-body th{border:1px solid #d1d9e0;padding:6px 13px}
.markdown-body tr:nth-child(2n){background:#f6f8fa}
.markdown-body pre{background:#f6f8fa;border-radius:6px;padding:16px;overflow:auto}
.markdown-body code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:85%}
.markdown-body details{margin:.5rem 0}
.markdown-body summary{cursor:pointer}
.markdown-body img{max-width:100%}
summary.step-summary{cursor:pointer;color:#0969da}
`;

/** The whole report as one self-contained HTML document. */
export function renderReportHtml(report: RehearsalReport): string {
  const title = report.title ?? 'connect2-actions rehearsal';
  const stages = report.stages.map((stage, index) => ({ ...stage, number: stage.number ?? index + 1 }));
  const steps = stages.flatMap((stage) => stage.steps);
  const count = (className: string) => steps.filter((step) => stepStatus(step).className === className).length;

  const overview = stages
    .map((stage) => {
      const unexpected = stage.steps.filter((step) => !step.asExpected).length;
      const expectedFailures = stage.steps.filter((step) => step.asExpected && step.actual === 'failure').length;
      const verdict = unexpected ? `<span class="status unexpected-text">✗ ${unexpected} not as expected</span>` : '✓ as expected';
      return `<tr class="${unexpected ? 'unexpected' : 'ok'}"><td>${stage.number}</td><td><a href="#stage-${stage.number}">${escapeHtml(stage.title)}</a></td><td>${stage.steps.length}</td><td>${expectedFailures}</td><td>${verdict}</td></tr>`;
    })
    .join('\n');

  const sections = stages
    .map((stage) => {
      const body = stage.steps
        .map((step) => {
          const status = stepStatus(step);
          const who = step.run ? `<code>${escapeHtml(step.run)}</code> · ` : '';
          const problems = step.problems?.length ? `<ul class="problems">${step.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : '';
          const summary = step.summaryMarkdown.trim()
            ? `<details${step.asExpected ? '' : ' open'}><summary class="step-summary">Job summary</summary><div class="markdown-body">${renderSummaryMarkdown(step.summaryMarkdown)}</div></details>`
            : '<p class="detail"><em>No job summary.</em></p>';
          return `<article class="step ${status.className}">
<h3>${who}${escapeHtml(step.name)}</h3>
<p><span class="status">${status.mark} ${escapeHtml(status.text)}</span> <span class="detail">(expected ${step.expected}; ${seconds(step.durationMs)})</span></p>
${problems}<p class="detail">${escapeHtml(step.detail)}</p>
${summary}
</article>`;
        })
        .join('\n');
      return `<section class="stage" id="stage-${stage.number}"><h2>Stage ${stage.number} · ${escapeHtml(stage.title)}</h2>\n${body}\n</section>`;
    })
    .join('\n');

  const when = report.generatedAt ? `<small>${escapeHtml(report.generatedAt)}</small>` : '';
  const counts = `${steps.length} steps: ${count('ok')} succeeded, ${count('expected-failure')} failed as expected, ${count('skipped')} skipped as expected, ${count('unexpected')} not as expected.`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}: ${report.verdict === 'ok' ? 'passed' : 'FAILED'}</title>
<style>${CSS}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<div class="verdict ${report.verdict}" id="verdict">${report.verdict === 'ok' ? '✓' : '✗'} ${escapeHtml(report.headline)}<small>${escapeHtml(counts)}</small>${when}</div>
<table class="overview"><thead><tr><th>Stage</th><th>Title</th><th>Steps</th><th>Expected failures</th><th>Verdict</th></tr></thead><tbody>
${overview}
</tbody></table>
${sections}
</body></html>
`;
}
