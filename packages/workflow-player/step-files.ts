/**
 * The runner's per-step files (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY,
 * GITHUB_STATE) and how it reads them back after the step.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAnnotations, parseKeyValueFile } from './bundle-run';

export interface StepFiles {
  GITHUB_OUTPUT: string;
  GITHUB_ENV: string;
  GITHUB_PATH: string;
  GITHUB_STEP_SUMMARY: string;
  GITHUB_STATE: string;
}

export function createStepFiles(dir: string): StepFiles {
  mkdirSync(dir, { recursive: true });
  const files: StepFiles = {
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_STATE: path.join(dir, 'state'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  return files;
}

export interface StepFileResults {
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  addedPath: string[];
  summary: string;
}

export function readStepFiles(files: StepFiles): StepFileResults {
  return {
    outputs: parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    exportedEnv: parseKeyValueFile(readFileSync(files.GITHUB_ENV, 'utf8')),
    addedPath: readFileSync(files.GITHUB_PATH, 'utf8').split('\n').filter(Boolean),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
  };
}

export function errorAnnotations(log: string): string[] {
  return parseAnnotations(log)
    .filter((annotation) => annotation.level === 'error')
    .map((annotation) => annotation.message);
}
