/**
 * Reads a folder of workflow files with GitHub's own parser (@actions/workflow-parser): schema,
 * expression syntax, allowed contexts, and reusable workflows (`uses: ./.github/workflows/x.yml`,
 * resolved to `x.yml` in the same folder). The converted model has no `with:`, `permissions:`,
 * `timeout-minutes:` or `defaults:`, so the parsed token tree is kept beside it and read for those.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowTemplate } from '@actions/workflow-parser';
import type { MappingToken, TemplateToken } from '@actions/workflow-parser/templates/tokens/index';

type ParserModule = typeof import('@actions/workflow-parser');

/**
 * The parser's dist imports its JSON schema without `with { type: 'json' }`, which Node's native ESM
 * loader refuses; under tsx (the rehearsal) and vitest (inlined, see vitest.config.ts) it loads.
 */
let parserModule: Promise<ParserModule> | undefined;
const loadParser = (): Promise<ParserModule> => (parserModule ??= import('@actions/workflow-parser'));

export interface WorkflowFile {
  /** File name inside the folder, e.g. `deploy.yml`. */
  file: string;
  /** Path as GitHub names it: `.github/workflows/deploy.yml`. */
  path: string;
  /** `name:` or the path, as GitHub shows a run. */
  name: string;
  template: WorkflowTemplate;
  /** The parsed token tree (root mapping). */
  root: MappingToken;
}

class WorkflowParseError extends Error {}

const LOCAL_WORKFLOW = /^\.\/?\.github\/workflows\/([^/]+\.ya?ml)$/;

/** The file name a local reusable-workflow reference points at, or undefined for a remote one. */
export function localWorkflowFile(uses: string): string | undefined {
  return LOCAL_WORKFLOW.exec(uses.split('@')[0])?.[1];
}

/** Parses every `*.yml`/`*.yaml` of `dir`; any error GitHub would report fails with the file's name. */
export async function loadWorkflows(dir: string): Promise<WorkflowFile[]> {
  const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  const texts = new Map(files.map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]));
  const loaded: WorkflowFile[] = [];
  for (const file of files) loaded.push(await parseWorkflowText(file, texts.get(file)!, texts));
  return loaded;
}

export async function parseWorkflowText(file: string, text: string, siblings: Map<string, string>): Promise<WorkflowFile> {
  const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await loadParser();
  const parsed = parseWorkflow({ name: `.github/workflows/${file}`, content: text }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (errors.length > 0 || !parsed.value) throw new WorkflowParseError(`${file}: ${errors.join('; ') || 'empty workflow'}`);
  const fileProvider = {
    getFileContent: async (ref: unknown) => {
      const refPath = typeof ref === 'object' && ref !== null && 'path' in ref ? String((ref as { path: unknown }).path) : '';
      const callee = LOCAL_WORKFLOW.exec(refPath)?.[1] ?? LOCAL_WORKFLOW.exec(`./${refPath}`)?.[1];
      const content = callee ? siblings.get(callee) : undefined;
      if (!callee || content === undefined) throw new WorkflowParseError(`${file} calls ${refPath}, which is not in the workflow folder`);
      return { name: `.github/workflows/${callee}`, content };
    },
  };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, fileProvider, { fetchReusableWorkflowDepth: 1 });
  const templateErrors = (template.errors ?? []).map((error) => error.Message);
  if (templateErrors.length > 0) throw new WorkflowParseError(`${file}: ${templateErrors.join('; ')}`);
  const root = parsed.value as MappingToken;
  const name = scalarValue(findKey(root, 'name')) ?? `.github/workflows/${file}`;
  return { file, path: `.github/workflows/${file}`, name, template, root };
}

// ---- the token tree, for the keys the converted model leaves out ----

export function findKey(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMappingToken(token)) return undefined;
  for (const pair of token) {
    if (scalarValue(pair.key) === key) return pair.value;
  }
  return undefined;
}

/** The parser's TokenType numbers (templates/tokens/types.js). */
export const TokenKind = { String: 0, Sequence: 1, Mapping: 2, BasicExpression: 3, InsertExpression: 4, Boolean: 5, Number: 6, Null: 7 } as const;

function isMappingToken(token: TemplateToken): token is MappingToken {
  return token.templateTokenType === TokenKind.Mapping;
}

/** A literal scalar's value as text (strings, numbers, booleans); undefined for expressions and collections. */
export function scalarValue(token: TemplateToken | undefined): string | undefined {
  if (!token) return undefined;
  const value = (token as unknown as { value?: unknown }).value;
  if (['string', 'number', 'boolean'].includes(typeof value)) return String(value);
  return undefined;
}

/** The raw mapping of job `id` (of this file's `jobs:`). */
export function rawJob(root: MappingToken, id: string): MappingToken | undefined {
  const job = findKey(findKey(root, 'jobs'), id);
  return job && isMappingToken(job) ? job : undefined;
}

/** The raw mapping of the `index`-th step of a job. */
export function rawStep(job: MappingToken | undefined, index: number): MappingToken | undefined {
  const steps = findKey(job, 'steps') as unknown as { count?: number; get?: (i: number) => TemplateToken } | undefined;
  const step = steps?.get && index < (steps.count ?? 0) ? steps.get(index) : undefined;
  return step && isMappingToken(step) ? step : undefined;
}
