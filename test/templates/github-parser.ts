// Validation with GitHub's own workflow parser (@actions/workflow-parser, the one behind the Actions
// language service): schema, expression syntax, allowed contexts per key, and reusable-workflow calls.
import { tsImport } from 'tsx/esm/api';
import type { Workflow } from './workflow';

type Parser = typeof import('@actions/workflow-parser');

/**
 * The parser's dist imports its JSON schema without `with { type: 'json' }`, which Node 20's native ESM
 * loader (used for dependencies vitest does not transform) rejects. tsx's loader accepts it, so the
 * package is loaded through tsx, once.
 */
let parser: Promise<Parser> | undefined;
const loadParser = (): Promise<Parser> =>
  (parser ??= tsImport('@actions/workflow-parser', import.meta.url) as Promise<Parser>);

const LOCAL_WORKFLOW = /^\.github\/workflows\/([^/]+\.ya?ml)$/;

/**
 * Errors GitHub would report for `workflow`. Calls to ./.github/workflows/<file> are resolved to the
 * template <file> among `templates`, so the parser also checks the call's inputs against the callee.
 */
export async function githubParserErrors(workflow: Pick<Workflow, 'name' | 'text'>, templates: Pick<Workflow, 'name' | 'text'>[]): Promise<string[]> {
  const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await loadParser();
  const parsed = parseWorkflow({ name: workflow.name, content: workflow.text }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((error) => error.message);
  if (errors.length > 0 || !parsed.value) return errors.length > 0 ? errors : [`${workflow.name}: empty workflow`];
  const fileProvider = {
    getFileContent: async (ref: unknown) => {
      const path = typeof ref === 'object' && ref !== null && 'path' in ref ? String(ref.path) : '';
      const file = LOCAL_WORKFLOW.exec(path)?.[1];
      const callee = templates.find((template) => template.name === file);
      if (!callee) throw new Error(`${workflow.name} calls ${path}, which is not a template`);
      return { name: callee.name, content: callee.text };
    },
  };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, fileProvider, { fetchReusableWorkflowDepth: 1 });
  return (template.errors ?? []).map((error) => error.Message);
}
