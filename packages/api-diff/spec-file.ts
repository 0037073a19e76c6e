/**
 * An OpenAPI document from a file, JSON or YAML (FastAPI's `app.openapi()` is JSON; hand-written specs
 * are often YAML). A missing file, a parse error or a document that is not OpenAPI 3 is an InputError
 * naming the input, before anything is posted.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../action-kit';

export type OpenApiDocument = Record<string, unknown> & { openapi: string; paths?: Record<string, unknown> };

export function readSpec(file: string, input: string): OpenApiDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new InputError(input, `is '${file}', which cannot be read (${code === 'ENOENT' ? 'no such file' : code ?? 'error'})`, 'use the path of the OpenAPI document (JSON or YAML) a previous step wrote, e.g. openapi-head.json');
  }
  return parseSpec(text, file, input);
}

function parseSpec(text: string, file: string, input: string): OpenApiDocument {
  let document: unknown;
  try {
    document = /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError(input, `is '${file}', which is neither JSON nor YAML (${(error as Error).message.split('\n')[0]})`, 'write the document with json.dump(app.openapi(), f) or as YAML');
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new InputError(input, `is '${file}', which holds no object`, 'use an OpenAPI 3 document');
  }
  const version = (document as { openapi?: unknown; swagger?: unknown }).openapi;
  if (typeof version !== 'string' || !/^3\.[01]\./.test(version)) {
    const swagger = (document as { swagger?: unknown }).swagger;
    const found = swagger ? `Swagger ${String(swagger)}` : version ? `openapi ${String(version)}` : 'no openapi field';
    throw new InputError(input, `is '${file}', which is not an OpenAPI 3.0 or 3.1 document (${found})`, 'use an OpenAPI 3 document, e.g. FastAPI app.openapi()');
  }
  return document as OpenApiDocument;
}
