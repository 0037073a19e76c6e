/** The step's outputs: names declared once (action.yml is the public contract), values computed here. */
import type { OutputValue } from '../action-kit';
import type { FlowResult } from './branch-flow';
import type { Classification } from './classify';
import type { SourceHealthResult } from './source-health';

export const OUTPUT = {
  type: 'type',
  infrastructureFiles: 'infrastructure-files',
  applicationFiles: 'application-files',
  filesCount: 'files-count',
  flow: 'flow',
  sourceHealth: 'source-health',
} as const;

export function classifyOutputs(result: Classification, flow: FlowResult, source: SourceHealthResult): Record<string, OutputValue> {
  return {
    [OUTPUT.type]: result.type,
    [OUTPUT.infrastructureFiles]: result.infrastructure.map((file) => file.path),
    [OUTPUT.applicationFiles]: result.application.map((file) => file.path),
    [OUTPUT.filesCount]: result.infrastructure.length + result.application.length,
    [OUTPUT.flow]: flow.status,
    [OUTPUT.sourceHealth]: source.health,
  };
}
