/** The step's outputs: names declared once (action.yml is the public contract), values computed here. */
import type { OutputValue } from '../../packages/action-kit';
import type { Classification, FlowResult, SourceHealthResult } from '../../packages/classify';
import { Output } from './names';

export function classifyOutputs(result: Classification, flow: FlowResult, source: SourceHealthResult): Record<string, OutputValue> {
  return {
    [Output.Type]: result.type,
    [Output.InfrastructureFiles]: result.infrastructure.map((file) => file.path),
    [Output.ApplicationFiles]: result.application.map((file) => file.path),
    [Output.FilesCount]: result.infrastructure.length + result.application.length,
    [Output.Flow]: flow.status,
    [Output.SourceHealth]: source.health,
  };
}
