/**
 * Human-readable plans (`terraform show -no-color`, or a captured `terraform plan` log). They only
 * lend per-resource diff bodies: which resources exist and what happens to them comes from the
 * JSON. Blocks are found by the addresses the JSON names, so unusual text (new Terraform wording,
 * OpenTofu, odd addresses with spaces in keys) cannot invent or drop a resource.
 */

// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks), as terminals emit them.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/**
 * Decodes a plan or log file. Windows PowerShell's `>` writes UTF-16 with a byte-order mark, and
 * some editors add a UTF-8 BOM; either would make a good plan read as "not JSON".
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * What a file given as text really is when it is not text: a saved plan (Terraform writes a zip
 * archive), another binary (NUL bytes where text has none), or undefined for text. UTF-16 with a
 * byte-order mark is text (decodeText reads it).
 */
export function binaryKind(bytes: Uint8Array): 'saved-plan' | 'binary' | undefined {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'saved-plan';
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return undefined;
  const head = bytes.subarray(0, 8192);
  return head.includes(0) ? 'binary' : undefined;
}

/** Removes ANSI escape codes (a plan captured without -no-color) and normalises line ends. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '').replace(/\r\n?/g, '\n');
}

export interface TextBodies {
  /** Blocks under "Terraform will perform the following actions", by address. */
  changes: Map<string, string>;
  /** Blocks under "changes made outside of Terraform" (drift), by address. */
  drift: Map<string, string>;
  /** Blocks under "This is a partial plan" (deferred changes), by address. */
  deferred: Map<string, string>;
  /** The `Plan: ...` line, when the text has one. */
  planLine?: string;
  noChanges: boolean;
}

// A non-indented line that starts with a letter ends a block ("Plan: ...", "Changes to Outputs:",
// "Terraform will perform ...", "Unless you have made ..."); box drawing ends one too.
const SECTION_END = /^[A-Za-z─╷│╵]/;
const HEADER = /^\s*# (.+)$/;

/**
 * Splits a text plan into per-resource blocks. `addresses` are the addresses the JSON knows
 * (current and previous ones); a `# <address> ...` line starts a block, the next header or a
 * section line ends it.
 */
export function splitTextPlan(rawText: string, addresses: ReadonlySet<string>): TextBodies {
  const lines = stripAnsi(rawText).split('\n');
  const result: TextBodies = { changes: new Map(), drift: new Map(), deferred: new Map(), noChanges: false };
  let section: 'drift' | 'changes' | 'deferred' | 'other' = 'other';
  let current: { address: string; lines: string[]; target: Map<string, string> } | undefined;

  const close = () => {
    if (!current) return;
    while (current.lines.length > 0 && current.lines.at(-1)?.trim() === '') current.lines.pop();
    if (!current.target.has(current.address)) current.target.set(current.address, dedent(current.lines).join('\n'));
    current = undefined;
  };

  for (const line of lines) {
    if (/^(Terraform|OpenTofu) will perform the following actions/.test(line) || /^(Terraform|OpenTofu) planned the following actions/.test(line)) {
      close();
      section = 'changes';
      continue;
    }
    if (/changes made outside of (Terraform|OpenTofu)/.test(line) || /^Note: Objects have changed outside of/.test(line)) {
      close();
      section = 'drift';
      continue;
    }
    if (/^Note: This is a partial plan/.test(line)) {
      close();
      section = 'deferred';
      continue;
    }
    const plan = /^(Plan: .*\.)\s*$/.exec(line);
    if (plan) {
      close();
      result.planLine = plan[1];
      section = 'other';
      continue;
    }
    if (/^No changes\./.test(line)) result.noChanges = true;

    const header = HEADER.exec(line);
    const address = header && section !== 'other' ? matchAddress(header[1], addresses) : undefined;
    if (header && address) {
      close();
      // A deposed object shares its address with the current one: key it apart.
      const deposed = /^ \(deposed object ([^)]+)\)/.exec(header[1].slice(address.length))?.[1];
      const target = section === 'drift' ? result.drift : section === 'deferred' ? result.deferred : result.changes;
      current = { address: deposed ? deposedKey(address, deposed) : address, lines: [line], target };
      continue;
    }
    if (SECTION_END.test(line)) {
      close();
      if (section === 'changes' && /^Changes to Outputs:/.test(line)) section = 'other';
      continue;
    }
    current?.lines.push(line);
  }
  close();
  return result;
}

/** The key of a deposed object's block in TextBodies. */
export function deposedKey(address: string, deposed: string): string {
  return `${address} (deposed object ${deposed})`;
}

/**
 * `local_file.test will be created`, `aws_s3_bucket.b["a b"] must be replaced`, `x has moved to y`:
 * the address is the longest known prefix ending at a space.
 */
function matchAddress(rest: string, addresses: ReadonlySet<string>): string | undefined {
  if (addresses.has(rest)) return rest;
  let found: string | undefined;
  for (let i = rest.indexOf(' '); i > 0; i = rest.indexOf(' ', i + 1)) {
    const candidate = rest.slice(0, i);
    if (addresses.has(candidate)) found = candidate;
  }
  return found;
}

function dedent(lines: string[]): string[] {
  let indent = Infinity;
  for (const line of lines) {
    if (line.trim() === '') continue;
    indent = Math.min(indent, line.length - line.trimStart().length);
  }
  if (!Number.isFinite(indent) || indent === 0) return lines;
  return lines.map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)));
}

/**
 * Moves Terraform's change markers to column 0 so GitHub's `diff` highlighting colours them:
 * `+` added, `-` removed, `~`/`-/+`/`+/-` changed (shown as `!`), `<=` read (shown as `#`).
 * Inside a heredoc (`<<-EOT` ... `EOT`) only the marker column Terraform uses for line diffs counts:
 * a content line that merely starts with `- ` (a YAML list, say) is content, not a removal.
 */
export function toDiffSyntax(body: string): string {
  let heredoc: { end: string; markerColumn: number } | undefined;
  return body
    .split('\n')
    .map((line) => {
      if (heredoc) {
        const trimmed = line.trimStart();
        if (trimmed === heredoc.end || trimmed.startsWith(`${heredoc.end} `)) {
          heredoc = undefined;
          return ` ${line}`;
        }
        const column = heredoc.markerColumn;
        if (/^[-+~] /.test(line.slice(column, column + 2)) && line.slice(0, column).trim() === '') {
          return markLine(line, column, line[column]);
        }
        return ` ${line}`;
      }
      const match = /^(\s*)(-\/\+|\+\/-|<=|[-+~])( |$)/.exec(line);
      const opening = /<<-?([A-Za-z_]+)(\s+#.*)?$/.exec(line);
      if (opening) {
        // Terraform indents heredoc line markers four columns right of the attribute's marker.
        const attributeColumn = match ? match[1].length : line.length - line.trimStart().length - 2;
        heredoc = { end: opening[1], markerColumn: attributeColumn + 4 };
      }
      if (!match) return ` ${line}`;
      return markLine(line, match[1].length, match[2]);
    })
    .join('\n');
}

function markLine(line: string, column: number, marker: string): string {
  const symbol = marker === '+' || marker === '-' ? marker : marker === '<=' ? '#' : '!';
  return `${symbol}${line.slice(0, column)}${' '.repeat(marker.length)}${line.slice(column + marker.length)}`;
}
