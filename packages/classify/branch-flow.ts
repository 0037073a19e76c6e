/**
 * The promotion flow as `head-glob -> base` rules: `feature/*` may only go to `development`,
 * `development` only to `staging`, and so on. Branch names are matched with picomatch the way
 * GitHub matches branch filters: `*` stops at `/`, `**` crosses it.
 */
import picomatch from 'picomatch';
import { InputError } from '../action-kit/errors';
import { globProblem } from './globs';

export interface FlowRule {
  /** The line as written, for messages. */
  text: string;
  head: string;
  base: string;
  matchesHead(ref: string): boolean;
  matchesBase(ref: string): boolean;
}

export type FlowResult =
  | { status: 'skipped'; reason: string }
  | { status: 'ok'; head: string; base: string; rule: FlowRule }
  | { status: 'violation'; head: string; base: string; allowedBases: string[]; message: string };

const ARROW = '->';
const EXAMPLE = "one 'head-glob -> base' rule per line, e.g. 'feature/* -> development'";

/** Parses the rules of `input`; throws an InputError naming the first bad line. */
export function parseBranchFlow(input: string, lines: readonly string[]): FlowRule[] {
  return lines.map((text, index) => {
    const where = `line ${index + 1} '${text}'`;
    const parts = text.split(ARROW);
    if (parts.length === 1) throw new InputError(input, `${where} has no '${ARROW}'`, `write ${EXAMPLE}`);
    if (parts.length > 2) throw new InputError(input, `${where} has more than one '${ARROW}'`, `write ${EXAMPLE} (one line per promotion)`);
    const [head, base] = parts.map((part) => part.trim());
    if (!head) throw new InputError(input, `${where} has no head branch before '${ARROW}'`, `write ${EXAMPLE}`);
    if (!base) throw new InputError(input, `${where} has no base branch after '${ARROW}'`, `write ${EXAMPLE}`);
    for (const glob of [head, base]) {
      if (/\s/.test(glob)) throw new InputError(input, `${where}: '${glob}' contains a space, which no branch name can`, `write ${EXAMPLE}`);
      const problem = globProblem(glob, { kind: 'branch' });
      if (problem) throw new InputError(input, `${where}: '${glob}' is not a usable glob: ${problem.wrong}`, problem.right);
    }
    return { text, head, base, matchesHead: picomatch(head, { dot: true }), matchesBase: picomatch(base, { dot: true }) };
  });
}

/** Strips `refs/heads/` so a full ref and a branch name compare the same. */
export function branchName(ref: string): string {
  return ref.replace(/^refs\/heads\//, '');
}

/** Decides whether merging `headRef` into `baseRef` follows one of the rules. */
export function checkBranchFlow(rules: readonly FlowRule[], headRef: string | undefined, baseRef: string | undefined): FlowResult {
  if (rules.length === 0) return { status: 'skipped', reason: "'branch-flow' is empty" };
  if (!headRef || !baseRef) return { status: 'skipped', reason: 'not a pull request: there is no head/base branch pair to check' };
  const head = branchName(headRef);
  const base = branchName(baseRef);
  const forHead = rules.filter((rule) => rule.matchesHead(head));
  const rule = forHead.find((candidate) => candidate.matchesBase(base));
  if (rule) return { status: 'ok', head, base, rule };
  const allowedBases = [...new Set(forHead.map((candidate) => candidate.base))];
  const message =
    allowedBases.length > 0
      ? `Branch '${head}' may not be merged into '${base}': the branch flow allows '${head}' only into ${allowedBases.map((b) => `'${b}'`).join(' or ')}. Change the PR's base branch, or rename the branch if it is of another kind.`
      : `Branch '${head}' may not be merged into '${base}': no branch-flow rule covers '${head}' (heads with rules: ${[...new Set(rules.map((r) => `'${r.head}'`))].join(', ')}). Rename the branch (e.g. feature/<topic>) or add a rule to 'branch-flow'.`;
  return { status: 'violation', head, base, allowedBases, message };
}
