/**
 * Failed plans. A failed `terraform plan` leaves a log, not a plan: either the machine-readable
 * `terraform plan -json` stream (one JSON object per line, errors as `type: "diagnostic"` records)
 * or human text (the `╷ │ Error:` boxes of Terraform >= 0.15, or the bare `Error:` lines of older
 * versions). We pull out the errors so the comment says what went wrong, never "no changes".
 */
import { stripAnsi } from './plan-text';

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  /** `main.tf line 2` when the diagnostic points at configuration. */
  location?: string;
  /** The offending configuration line(s). */
  snippet?: string;
  address?: string;
}

export interface FailedPlan {
  format: 'json-stream' | 'text' | 'empty';
  diagnostics: Diagnostic[];
  /** The log's last lines (ANSI stripped), for context when no diagnostic was recognised. */
  tail: string;
  terraformVersion?: string;
}

const TAIL_LINES = 60;

export function parsePlanLog(raw: string): FailedPlan {
  const text = stripAnsi(raw);
  const lines = text.split('\n');
  const tail = lines.filter((line, index) => index < lines.length - 1 || line !== '').slice(-TAIL_LINES).join('\n');
  if (text.trim() === '') return { format: 'empty', diagnostics: [], tail: '' };

  const records = parseJsonLines(lines);
  if (records) {
    const diagnostics: Diagnostic[] = [];
    let terraformVersion: string | undefined;
    const humanLines: string[] = [];
    for (const record of records) {
      if (record.type === 'version' && typeof record.terraform === 'string') terraformVersion = record.terraform;
      if (typeof record['@message'] === 'string') humanLines.push(record['@message']);
      if (record.type !== 'diagnostic' || typeof record.diagnostic !== 'object' || record.diagnostic === null) continue;
      diagnostics.push(fromJsonDiagnostic(record.diagnostic as Record<string, any>));
    }
    return { format: 'json-stream', diagnostics, tail: humanLines.slice(-TAIL_LINES).join('\n'), terraformVersion };
  }
  return { format: 'text', diagnostics: parseTextDiagnostics(lines), tail };
}

/** The records when (nearly) every non-blank line is a JSON object; undefined for text logs. */
function parseJsonLines(lines: string[]): Record<string, any>[] | undefined {
  const records: Record<string, any>[] = [];
  let other = 0;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('{')) {
      try {
        const parsed = JSON.parse(trimmed) as unknown;
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
          records.push(parsed as Record<string, any>);
          continue;
        }
      } catch {
        // counted as text below
      }
    }
    other++;
  }
  // A wrapper (e.g. setup-terraform) may add a line or two around the stream.
  return records.length > 0 && records.length >= other * 4 ? records : undefined;
}

function fromJsonDiagnostic(diagnostic: Record<string, any>): Diagnostic {
  const range = diagnostic.range as { filename?: string; start?: { line?: number } } | undefined;
  const snippet = diagnostic.snippet as { context?: string; code?: string; start_line?: number } | undefined;
  return {
    severity: diagnostic.severity === 'warning' ? 'warning' : 'error',
    summary: String(diagnostic.summary ?? 'Error'),
    detail: typeof diagnostic.detail === 'string' && diagnostic.detail !== '' ? diagnostic.detail : undefined,
    location: range?.filename ? `${range.filename}${range.start?.line ? ` line ${range.start.line}` : ''}` : undefined,
    snippet: snippet?.code
      ? `${snippet.context ? `# in ${snippet.context}\n` : ''}${snippet.start_line ?? ''}: ${snippet.code}`
      : undefined,
    address: typeof diagnostic.address === 'string' ? diagnostic.address : undefined,
  };
}

/**
 * Text logs: each `Error:`/`Warning:` starts a diagnostic, which runs until the box closes (`╵`),
 * the next diagnostic, or a blank line followed by unindented prose of the next step.
 */
function parseTextDiagnostics(lines: string[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let current: { severity: Diagnostic['severity']; summary: string; body: string[] } | undefined;
  const close = () => {
    if (!current) return;
    while (current.body.length > 0 && current.body.at(-1)?.trim() === '') current.body.pop();
    while (current.body.length > 0 && current.body[0].trim() === '') current.body.shift();
    const body = current.body.join('\n');
    const location = /^\s*on (.+? line \d+)/m.exec(body)?.[1];
    diagnostics.push({ severity: current.severity, summary: current.summary, detail: body === '' ? undefined : body, location });
    current = undefined;
  };
  for (const rawLine of lines) {
    // Box drawing from Terraform >= 0.15: strip the left border, the box edges end a diagnostic.
    if (/^\s*╵/.test(rawLine)) {
      close();
      continue;
    }
    if (/^\s*╷/.test(rawLine)) continue;
    const line = rawLine.replace(/^\s*│ ?/, '');
    const start = /^\s*(Error|Warning): (.*)$/.exec(line);
    if (start) {
      close();
      current = { severity: start[1] === 'Warning' ? 'warning' : 'error', summary: start[2].trim(), body: [] };
      continue;
    }
    if (current) current.body.push(line);
  }
  close();
  return diagnostics;
}
