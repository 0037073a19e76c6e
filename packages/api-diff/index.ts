// Public surface of the API diff engine (api-diff): read two OpenAPI documents, compare them, render.
export { readSpec } from './spec-file';
export type { OpenApiDocument } from './spec-file';
export { compareSpecs, summarizeChanges } from './compare';
export type { ApiChange } from './compare';
export { renderReport, safeText } from './render';
