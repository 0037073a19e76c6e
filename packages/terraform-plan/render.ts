/**
 * Renders a plan as Markdown for a PR comment or a job summary, within a size limit. GitHub rejects
 * comments over 65,536 characters (and step summaries over 1 MiB), and a rejected comment is a plan
 * nobody reviews, so the render degrades in steps until it fits and says plainly what it left out:
 *   full       every resource with its complete diff
 *   trimmed    diffs cut to a few dozen lines, then left out (destroys and replacements keep theirs
 *              longest), every address still listed
 *   addresses  every address, no diffs
 *   counts     the counts, then as many addresses as fit (destroys and replacements first)
 * Destroys and replacements are always called out at the top, before anything else.
 */
import type { PlanCounts } from './counts';
import { hasChanges, planLine } from './counts';
import { describeDeferral, describeOutput, describeReason, describeResource } from './json-diff';
import type { PlanModel, ResourceChange } from './plan-json';
import { deposedKey, toDiffSyntax, type TextBodies } from './plan-text';
import { code, collapsible, commitLink, escapeHtml, fence, firstLines, number, plural } from './markdown';

export type Detail = 'full' | 'trimmed' | 'addresses' | 'counts';

/** Everything a render shows. Values in `plan` are already redacted; `text` bodies already scrubbed. */
export interface PlanView {
  plan: PlanModel;
  counts: PlanCounts;
  digest: string;
  /** The comment's identity, usually the environment (`dev`). */
  name: string;
  /** 'Terraform' or 'OpenTofu'. */
  tool: string;
  text?: TextBodies;
  sha?: string;
  /** Link for the commit, e.g. https://github.com/o/r/commit/<sha>. */
  commitUrl?: string;
  runUrl?: string;
  /** The digest the caller expected (apply guard), when one was given. */
  expectedDigest?: string;
}

export interface RenderOptions {
  /** Size limit of the whole Markdown, prefix included, in units of `measure`. */
  limit: number;
  /** Size of a string: characters for comments (default), UTF-8 bytes for summaries. */
  measure?: (text: string) => number;
  /** Text put first and counted in the limit (the sticky comment's hidden marker). */
  prefix?: string;
  /** Where the unshortened render can be read, e.g. 'the job summary of [this run](url)'. */
  fullRenderAt?: string;
}

export interface Rendered {
  markdown: string;
  detail: Detail;
  /** What was left out, in words (empty when nothing was). */
  cut: string;
}

/** Lines a trimmed diff keeps. */
const TRIMMED_LINES = 40;
/** Destroys/replacements listed in the call-out when the list itself must be short. */
const SHORT_CALLOUT = 20;
/** Room kept for the "shortened" notice, written after the sections are filled. */
const NOTICE_ROOM = 700;
const OUTPUT_LINES = 200;
const DRIFT_LINES = 100;

interface GroupSpec {
  key: string;
  title: string;
}

// Riskiest first: a destroy loses the object for good, a replacement recreates it.
const GROUPS: GroupSpec[] = [
  { key: 'delete', title: 'Destroy' },
  { key: 'replace', title: 'Replace' },
  { key: 'update', title: 'Update in place' },
  { key: 'create', title: 'Create' },
  { key: 'import', title: 'Import' },
  { key: 'move', title: 'Move' },
  { key: 'forget', title: 'Forget (removed from state, not destroyed)' },
  { key: 'deferred', title: 'Deferred to a later plan (not applied by this one)' },
  { key: 'read', title: 'Read during apply' },
  { key: 'other', title: 'Other actions (unknown to this version: check the plan)' },
];

function groupOf(resource: ResourceChange): string | undefined {
  switch (resource.action) {
    case 'no-op':
      if (resource.importing) return 'import';
      if (resource.previousAddress) return 'move';
      return undefined;
    default:
      return resource.action;
  }
}

interface Entry {
  resource: ResourceChange;
  group: string;
  /** `<code>address</code> — what happens and why`, one line. */
  label: string;
  /** The address with only what a group title does not say (moved from, imported, deposed). */
  shortLabel: string;
  /** The diff body, made on first use: a 20,000-resource plan mostly never needs them. */
  body(): string;
}

export function renderPlan(view: PlanView, options: RenderOptions): Rendered {
  const measure = options.measure ?? ((text: string) => text.length);
  const entries = buildEntries(view);
  const frames = frameParts(view);
  const attempts: Detail[] = ['full', 'trimmed', 'addresses', 'counts'];
  let last: Rendered | undefined;
  for (const detail of attempts) {
    const rendered = renderAt(detail, frames, entries, options, measure);
    if (rendered && measure(rendered.markdown) <= options.limit) return rendered;
    last = rendered ?? last;
  }
  // Counts only and still too big: only a pathological prefix or name could do that.
  const markdown = (last?.markdown ?? '').slice(0, Math.max(0, options.limit - 200));
  return { markdown: `${markdown}\n\n… (cut to fit the size limit)\n`, detail: 'counts', cut: 'everything past the size limit' };
}

function buildEntries(view: PlanView): Entry[] {
  const byGroup = new Map<string, Entry[]>(GROUPS.map((group) => [group.key, []]));
  for (const resource of view.plan.resources) {
    const group = groupOf(resource);
    if (!group) continue;
    let body: string | undefined;
    byGroup.get(group)?.push({ resource, group, label: label(resource), shortLabel: shortLabel(resource), body: () => (body ??= bodyOf(resource, view.text?.changes)) });
  }
  for (const resource of view.plan.deferred) {
    let body: string | undefined;
    byGroup.get('deferred')?.push({ resource, group: 'deferred', label: label(resource), shortLabel: shortLabel(resource), body: () => (body ??= bodyOf(resource, view.text?.deferred)) });
  }
  return GROUPS.flatMap((group) => byGroup.get(group.key) ?? []);
}

function bodyOf(resource: ResourceChange, bodies: Map<string, string> | undefined): string {
  const fromText = resource.deposed
    ? bodies?.get(deposedKey(resource.address, resource.deposed))
    : (bodies?.get(resource.address) ?? (resource.previousAddress ? bodies?.get(resource.previousAddress) : undefined));
  return toDiffSyntax(fromText ?? describeResource(resource));
}

const labels = new WeakMap<ResourceChange, string>();

/** One line per resource, cached: every step of the degradation and both renders reuse it. */
function label(resource: ResourceChange): string {
  let cached = labels.get(resource);
  if (cached === undefined) {
    cached = makeLabel(resource);
    labels.set(resource, cached);
  }
  return cached;
}

/** For long address lists: the group says the action; the call-out at the top keeps the reasons. */
function shortLabel(resource: ResourceChange): string {
  const parts: string[] = [];
  if (resource.deposed) parts.push(`deposed ${escapeHtml(resource.deposed)}`);
  if (resource.previousAddress) parts.push(`from ${code(resource.previousAddress)}`);
  if (resource.importing) parts.push('imported');
  if (resource.deferredReason) parts.push(escapeHtml(resource.deferredReason.replace(/_/g, ' ')));
  return `${code(resource.address)}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

function makeLabel(resource: ResourceChange): string {
  const parts: string[] = [];
  if (resource.deferredReason) {
    parts.push(`deferred ${escapeHtml(describeDeferral(resource.deferredReason))}`);
    if (resource.action !== 'no-op') parts.push(`planned so far: ${escapeHtml(resource.action === 'other' ? resource.actions.join(', ') : resource.action)}`);
    return `${code(resource.address)} — ${parts.join('; ')}`;
  }
  if (resource.action === 'replace') {
    parts.push(resource.replaceOrder === 'create-before-destroy' ? 'create, then destroy' : 'destroy, then create');
  }
  if (resource.deposed) parts.push(`deposed object ${escapeHtml(resource.deposed)}`);
  if (resource.reason) parts.push(escapeHtml(describeReason(resource.reason)));
  if (resource.replacePaths.length > 0) {
    parts.push(`forced by ${resource.replacePaths.map((path) => code(path.join('.'))).join(', ')}`);
  }
  if (resource.previousAddress) parts.push(`moved from ${code(resource.previousAddress)}`);
  if (resource.importing) parts.push(`imported${resource.importing.id ? ` from ${code(resource.importing.id)}` : ''}`);
  if (resource.forgetsPrevious) parts.push('the previous object is forgotten, not destroyed');
  if (resource.action === 'other') parts.push(`actions ${code(resource.actions.join(', '))}`);
  return `${code(resource.address)}${parts.length > 0 ? ` — ${parts.join('; ')}` : ''}`;
}

interface FrameParts {
  head: string;
  footer: string;
  outputs: string;
  checks: string;
  callout(short: boolean): string;
  drift(detail: Detail): string;
}

/** The parts around the resource list, each made once per render and only when a step needs it. */
function frameParts(view: PlanView): FrameParts {
  const memo = new Map<string, string>();
  const once = (key: string, make: () => string) => {
    let value = memo.get(key);
    if (value === undefined) memo.set(key, (value = make()));
    return value;
  };
  return {
    head: header(view),
    footer: footer(view),
    outputs: outputs(view),
    checks: failedChecks(view),
    callout: (short) => once(`callout:${short}`, () => callout(view, short ? SHORT_CALLOUT : Infinity)),
    drift: (detail) => once(`drift:${detail === 'full' ? 'full' : detail === 'counts' ? 'count' : 'list'}`, () => (detail === 'counts' ? driftCount(view) : drift(view, detail === 'full'))),
  };
}

function renderAt(detail: Detail, parts: FrameParts, entries: Entry[], options: RenderOptions, measure: (text: string) => number): Rendered | undefined {
  const frame = {
    head: parts.head,
    callout: parts.callout(detail === 'addresses' || detail === 'counts'),
    checks: parts.checks,
    drift: parts.drift(detail),
    outputs: detail === 'counts' ? '' : parts.outputs,
    footer: parts.footer,
  };
  const prefix = options.prefix ? `${options.prefix}\n` : '';
  const frameSize = measure(prefix) + Object.values(frame).reduce((total, part) => total + measure(part) + 2, 0);
  const budget = options.limit - frameSize - NOTICE_ROOM;

  let sections: string;
  let cut = '';
  switch (detail) {
    case 'full': {
      // When the addresses alone overflow, the diffs cannot fit: skip building megabytes of them.
      let floor = 0;
      for (const entry of entries) if ((floor += measure(entry.label)) > options.limit) return undefined;
      sections = fullSections(entries);
      break;
    }
    case 'trimmed': {
      const trimmed = trimmedSections(entries, budget, measure);
      // No diff fits at all: that is the addresses step, said as such.
      if (!trimmed || trimmed.shown === 0) return undefined;
      sections = trimmed.text;
      const parts: string[] = [];
      if (trimmed.cutShort > 0) parts.push(`${plural(trimmed.cutShort, 'diff')} cut to ${TRIMMED_LINES} lines`);
      if (trimmed.leftOut > 0) parts.push(`${number(trimmed.leftOut)} of ${plural(trimmed.leftOut + trimmed.shown, 'diff')} left out (every address is still listed)`);
      cut = parts.join('; ') || 'long diffs cut';
      break;
    }
    case 'addresses': {
      const listed = addressSections(entries, budget, measure);
      if (listed.unlisted > 0) return undefined;
      sections = listed.text;
      cut = `all diffs left out (${plural(entries.length, 'resource')} listed by address)`;
      break;
    }
    case 'counts': {
      // Destroys and replacements come first in the group order, so they are listed first.
      const listed = addressSections(entries, budget, measure);
      sections = listed.text;
      cut = `all diffs left out, and ${number(listed.unlisted)} of ${plural(entries.length, 'resource address', 'resource addresses')} not listed (destroys and replacements are listed first)`;
      break;
    }
  }
  const notice = cut ? shortenedNotice(cut, options.fullRenderAt) : '';
  const markdown = [prefix + frame.head, notice, frame.callout, frame.checks, sections, frame.drift, frame.outputs, frame.footer].filter((part) => part !== '').join('\n\n') + '\n';
  return { markdown, detail, cut };
}

function header(view: PlanView): string {
  const { counts, plan } = view;
  const changes = hasChanges(counts);
  const failed = plan.errored;
  const icon = failed ? '❌' : !changes ? (counts.deferred > 0 ? '⏳' : '✅') : counts.destroy > 0 ? '⚠️' : '📝';
  const lines = [`### ${icon} ${escapeHtml(view.tool)} plan for ${code(view.name)}${failed ? ': the plan reported errors' : ''}`];
  if (failed) {
    lines.push('', '> [!CAUTION]', '> Terraform reported errors while planning (`errored: true`): the changes below are partial and must not be applied. See the run log for the errors.');
  }
  if (counts.deferred > 0 || plan.complete === false) {
    const deferred = counts.deferred > 0
      ? `${plural(counts.deferred, 'resource change')} ${counts.deferred === 1 ? 'was' : 'were'} deferred (listed below with the reason) and ${counts.deferred === 1 ? 'is' : 'are'} not in the counts`
      : 'it does not plan every resource in the configuration (for example, `-target` was used)';
    lines.push('', '> [!IMPORTANT]', `> **This plan is incomplete** (\`complete: false\`): ${deferred}. Another plan and apply are needed after this one.`);
  }
  if (changes || failed) {
    lines.push('', `**\`${planLine(counts)}\`**`);
    if (counts.add + counts.change + counts.destroy + counts.import + counts.move + counts.forget + counts.other === 0 && counts.outputs > 0) {
      lines.push('', 'No resource changes; only output values change.');
    }
    const headers = ['Add', 'Change', 'Destroy', 'Replace', 'Import', 'Move', 'Forget', 'Outputs'];
    const values = [counts.add, counts.change, counts.destroy, counts.replace, counts.import, counts.move, counts.forget, counts.outputs];
    if (counts.other > 0) {
      headers.push('Other');
      values.push(counts.other);
    }
    if (counts.deferred > 0) {
      headers.push('Deferred');
      values.push(counts.deferred);
    }
    lines.push('', `| ${headers.join(' | ')} |`, `| ${headers.map(() => ':-:').join(' | ')} |`, `| ${values.map(number).join(' | ')} |`);
  } else if (counts.deferred > 0) {
    // Terraform's words for this case.
    lines.push('', '**No current changes.** This plan requires another plan to be applied first.');
  } else {
    lines.push('', '**No changes.** Your infrastructure matches the configuration.');
  }
  if (view.expectedDigest && view.expectedDigest !== view.digest) {
    lines.push(
      '',
      '> [!WARNING]',
      `> This plan is not the plan that was reviewed: its digest \`${view.digest}\` differs from the expected \`${view.expectedDigest}\`.`,
    );
  }
  return lines.join('\n');
}

function callout(view: PlanView, max: number): string {
  const risky = view.plan.resources.filter((r) => r.mode === 'managed' && (r.action === 'delete' || r.action === 'replace'));
  if (risky.length === 0) return '';
  const destroys = risky.filter((r) => r.action === 'delete').length;
  const replaces = risky.length - destroys;
  const what = [destroys > 0 ? `destroys ${plural(destroys, 'resource')}` : '', replaces > 0 ? `replaces ${plural(replaces, 'resource')}` : '']
    .filter(Boolean)
    .join(' and ');
  const lines = ['> [!CAUTION]', `> **This plan ${what}.**`, '>'];
  for (const resource of risky.slice(0, max)) {
    lines.push(`> - ${resource.action === 'delete' ? '**destroy**' : '**replace**'} ${label(resource)}`);
  }
  if (risky.length > max) lines.push(`> - … and ${number(risky.length - max)} more`);
  return lines.join('\n');
}

/** Failed checks listed in the warning; more are counted. */
const CHECKS_SHOWN = 20;
/** Longest check message shown (error_message is free text). */
const CHECK_MESSAGE = 300;

/** Failed checks, as Terraform prints them: warnings, which do not stop the plan from being applied. */
function failedChecks(view: PlanView): string {
  const failed = view.plan.failedChecks;
  if (failed.length === 0) return '';
  const errors = failed.filter((check) => check.status === 'error').length;
  const title = errors === failed.length ? `${plural(failed.length, 'check')} could not be evaluated` : `${plural(failed.length, 'check')} failed`;
  const lines = ['> [!WARNING]', `> **${title}.** ${escapeHtml(view.tool)} reports failed checks as warnings: applying this plan is not blocked by them.`, '>'];
  for (const check of failed.slice(0, CHECKS_SHOWN)) {
    const kind = check.kind === 'check' ? '' : ` (${escapeHtml(check.kind.replace(/_/g, ' '))})`;
    const message = check.messages.map((text) => text.replace(/\s+/g, ' ').trim()).join(' ');
    const shown = message.length > CHECK_MESSAGE ? `${message.slice(0, CHECK_MESSAGE)}…` : message;
    lines.push(`> - ${code(check.address)}${kind}${check.status === 'error' ? ' could not be evaluated' : ''}${shown ? `: ${escapeHtml(shown)}` : ''}`);
  }
  if (failed.length > CHECKS_SHOWN) lines.push(`> - … and ${number(failed.length - CHECKS_SHOWN)} more`);
  return lines.join('\n');
}

function groupTitle(group: string, count: number): string {
  const spec = GROUPS.find((candidate) => candidate.key === group);
  return `<b>${spec?.title ?? group}</b> (${number(count)})`;
}

function resourceBlock(entry: Entry, body: string): string {
  return collapsible(entry.label, fence(body, 'diff'));
}

function grouped(entries: Entry[]): Map<string, Entry[]> {
  const groups = new Map<string, Entry[]>();
  for (const entry of entries) {
    const list = groups.get(entry.group);
    if (list) list.push(entry);
    else groups.set(entry.group, [entry]);
  }
  return groups;
}

function fullSections(entries: Entry[]): string {
  const open = entries.length <= 10;
  return [...grouped(entries)]
    .map(([group, list]) => collapsible(groupTitle(group, list.length), list.map((entry) => resourceBlock(entry, entry.body())).join('\n'), open))
    .join('\n\n');
}

/**
 * Diffs in priority order (the group order puts replacements and destroys first), each cut to
 * TRIMMED_LINES, as long as the addresses of everything after still fit. Undefined when even the
 * addresses alone do not fit.
 */
function trimmedSections(entries: Entry[], budget: number, measure: (text: string) => number) {
  const groups = grouped(entries);
  const overhead = [...groups].reduce((total, [group, list]) => total + measure(collapsible(groupTitle(group, list.length), '')) + 60, 0);
  const addressCost = entries.map((entry) => measure(addressLine(entry)) + 1);
  const suffix = new Array<number>(entries.length + 1).fill(0);
  for (let i = entries.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1] + addressCost[i];
  if (overhead + suffix[0] > budget) return undefined;

  let used = overhead;
  let shown = 0;
  let cutShort = 0;
  let leftOut = 0;
  const blocks = new Map<string, { bodies: string[]; addresses: string[] }>();
  // Smallest diff block worth trying: below this much room, no diff fits, so stop making them.
  const minimumBlock = 120;
  entries.forEach((entry, index) => {
    const slot = blocks.get(entry.group) ?? { bodies: [], addresses: [] };
    blocks.set(entry.group, slot);
    const room = budget - used - suffix[index + 1];
    const trimmed = room >= minimumBlock ? firstLines(entry.body(), TRIMMED_LINES) : undefined;
    const block = trimmed ? resourceBlock(entry, trimmed.text) : '';
    const cost = measure(block) + 1;
    if (trimmed && cost <= room) {
      slot.bodies.push(block);
      used += cost;
      shown++;
      if (trimmed.cut > 0) cutShort++;
    } else {
      slot.addresses.push(addressLine(entry));
      used += addressCost[index];
      leftOut++;
    }
  });
  const text = [...groups]
    .map(([group, list]) => {
      const slot = blocks.get(group) ?? { bodies: [], addresses: [] };
      const parts = [slot.bodies.join('\n')];
      if (slot.addresses.length > 0) parts.push(`${slot.bodies.length > 0 ? 'Diffs left out to fit the size limit:\n\n' : 'Diffs left out to fit the size limit.\n\n'}${slot.addresses.join('\n')}`);
      return collapsible(groupTitle(group, list.length), parts.filter(Boolean).join('\n\n'));
    })
    .join('\n\n');
  return { text, shown, cutShort, leftOut };
}

function addressLine(entry: Entry): string {
  return `- ${entry.label}`;
}

/** Addresses every group lists before any group gets more, so each kind of change shows examples. */
const FAIR_SHARE = 20;

/**
 * As many addresses as fit: first up to FAIR_SHARE per group, riskiest group first, then the rest
 * in the same order; each group then says how many more it has.
 */
function addressSections(entries: Entry[], budget: number, measure: (text: string) => number) {
  const groups = [...grouped(entries)];
  let used = groups.reduce((total, [group, list]) => total + measure(collapsible(groupTitle(group, list.length), '')) + 80, 0);
  const lines = new Map<string, string[]>(groups.map(([group]) => [group, []]));
  let full = false;
  for (const share of [FAIR_SHARE, Infinity]) {
    for (const [group, list] of groups) {
      const listed = lines.get(group) ?? [];
      for (let i = listed.length; i < Math.min(list.length, share) && !full; i++) {
        const line = `- ${list[i].shortLabel}`;
        const cost = measure(line) + 1;
        if (used + cost > budget) full = true;
        else {
          listed.push(line);
          used += cost;
        }
      }
    }
  }
  let unlisted = 0;
  const text = groups
    .map(([group, list]) => {
      const listed = lines.get(group) ?? [];
      const missing = list.length - listed.length;
      unlisted += missing;
      const body = missing > 0 ? [...listed, `- … and ${number(missing)} more not listed`] : listed;
      return collapsible(groupTitle(group, list.length), body.join('\n'));
    })
    .join('\n\n');
  return { text, unlisted };
}

function drift(view: PlanView, withBodies: boolean): string {
  const changed = view.plan.drift.filter((r) => r.action !== 'no-op');
  if (changed.length === 0) return '';
  const title = `⚠️ <b>Changes outside ${escapeHtml(view.tool)}</b> (${number(changed.length)} drifted since the last apply)`;
  if (withBodies) {
    const blocks = changed.map((resource) => {
      const body = toDiffSyntax(view.text?.drift.get(resource.address) ?? describeResource(resource, { drift: true }));
      return collapsible(code(resource.address), fence(body, 'diff'));
    });
    return collapsible(title, blocks.join('\n'));
  }
  const lines = changed.slice(0, DRIFT_LINES).map((resource) => `- ${code(resource.address)} (${resource.action})`);
  if (changed.length > DRIFT_LINES) lines.push(`- … and ${number(changed.length - DRIFT_LINES)} more`);
  return collapsible(title, lines.join('\n'));
}

function driftCount(view: PlanView): string {
  const changed = view.plan.drift.filter((r) => r.action !== 'no-op').length;
  return changed > 0 ? `⚠️ ${plural(changed, 'resource')} changed outside ${escapeHtml(view.tool)} since the last apply.` : '';
}

function outputs(view: PlanView): string {
  const changed = view.plan.outputs.filter((output) => output.action !== 'no-op');
  if (changed.length === 0) return '';
  const lines = changed.slice(0, OUTPUT_LINES).map(describeOutput);
  if (changed.length > OUTPUT_LINES) lines.push(`# … and ${number(changed.length - OUTPUT_LINES)} more`);
  return collapsible(`<b>Output changes</b> (${number(changed.length)})`, fence(toDiffSyntax(lines.join('\n')), 'diff'));
}

function footer(view: PlanView): string {
  const parts: string[] = [];
  if (view.sha) parts.push(commitLink(view.sha, view.commitUrl));
  if (view.runUrl) parts.push(`[workflow run](${view.runUrl})`);
  if (view.plan.terraformVersion) parts.push(`${escapeHtml(view.tool)} ${escapeHtml(view.plan.terraformVersion)}`);
  parts.push(`digest <code>${view.digest}</code>`);
  return `<sub>${parts.join(' · ')}</sub>\n<!-- terraform-plan-digest: ${view.digest} -->`;
}

function shortenedNotice(cut: string, fullRenderAt: string | undefined): string {
  return [
    '> [!NOTE]',
    `> This plan was shortened to fit the size limit: ${cut}.${fullRenderAt ? ` The full plan is in ${fullRenderAt}.` : ''}`,
  ].join('\n');
}
