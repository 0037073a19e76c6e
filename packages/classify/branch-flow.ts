/**
 * The promotion flow as `head-glob -> base` rules: `feature/*` may only go to `development`,
 * `development` only to `staging`, and so on. Branch names are matched with picomatch the way
 * GitHub matches branch filters: `*` stops at `/`, `**` crosses it.
 */
import picomatch from 'picomatch';
import { InputError } from '../action-kit';
import { branchName, isPromotionBranch, revertedBranch } from '../branches';
import { globProblem } from './globs';

export { branchName };

/** Where the head and base branches of a PR live (`pull_request.head.repo.full_name` and `base.repo.full_name`). */
export interface PullRepositories {
  /** Undefined when GitHub sends `head.repo: null` (the fork was deleted). */
  headRepository?: string;
  baseRepository?: string;
}

/** The fork a PR comes from, or undefined when its head branch is in the base repository. */
export function forkOf(repositories: PullRepositories | undefined): string | undefined {
  if (!repositories) return undefined;
  const { headRepository, baseRepository } = repositories;
  if (headRepository && baseRepository && headRepository.toLowerCase() === baseRepository.toLowerCase()) return undefined;
  return headRepository ?? '(deleted fork)';
}

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

/**
 * Decides whether merging `headRef` into `baseRef` follows one of the rules. A GitHub revert branch
 * (`revert-<n>-<branch>`) that no rule names may go wherever `<branch>` may: a revert goes back to
 * the base its PR went to. A fork's branch named like a promotion branch (`staging`) is not this
 * repository's promotion branch: it passes no promotion rule.
 */
export function checkBranchFlow(rules: readonly FlowRule[], headRef: string | undefined, baseRef: string | undefined, repositories?: PullRepositories): FlowResult {
  if (rules.length === 0) return { status: 'skipped', reason: "'branch-flow' is empty" };
  if (!headRef || !baseRef) return { status: 'skipped', reason: 'not a pull request: there is no head/base branch pair to check' };
  const head = branchName(headRef);
  const base = branchName(baseRef);
  const fork = forkOf(repositories);
  if (fork && isPromotionBranch(head)) {
    const message = `Branch '${head}' comes from the fork '${fork}', not from ${repositories?.baseRepository ?? 'this repository'}: only this repository's own '${head}' promotes. Open the PR from a branch named for its change (e.g. feature/<topic>).`;
    return { status: 'violation', head, base, allowedBases: [], message };
  }
  const direct = rules.filter((rule) => rule.matchesHead(head));
  const reverted = direct.length === 0 ? revertedBranch(head) : undefined;
  const forHead = reverted ? rules.filter((rule) => rule.matchesHead(reverted)) : direct;
  const rule = forHead.find((candidate) => candidate.matchesBase(base));
  if (rule) return { status: 'ok', head, base, rule };
  const allowedBases = [...new Set(forHead.map((candidate) => candidate.base))];
  const only = allowedBases.map((b) => `'${b}'`).join(' or ');
  const message = reverted && allowedBases.length > 0
    ? `Branch '${head}' may not be merged into '${base}': it reverts a PR from '${reverted}', which the branch flow allows only into ${only}. Change the PR's base branch to the one the reverted PR went to.`
    : allowedBases.length > 0
      ? `Branch '${head}' may not be merged into '${base}': the branch flow allows '${head}' only into ${only}. Change the PR's base branch, or rename the branch if it is of another kind.`
      : `Branch '${head}' may not be merged into '${base}': no branch-flow rule covers '${head}' (heads with rules: ${[...new Set(rules.map((r) => `'${r.head}'`))].join(', ')}). Rename the branch (e.g. feature/<topic>) or add a rule to 'branch-flow'.`;
  return { status: 'violation', head, base, allowedBases, message };
}
