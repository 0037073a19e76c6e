/**
 * Terraform plan engine: parse and redact `terraform show -json`, count and digest the changes,
 * take diff bodies from a text plan, render a size-limited Markdown comment, and render failed
 * plans as errors. Plain TypeScript; the action is glue over it.
 */
export { parsePlanJson, parsePlanDocument, PlanFormatError, PlanVersionError } from './plan-json';
export { SecretScrubber } from './redact';
export { countChanges, hasChanges, planLine } from './counts';
export { planDigest, normaliseDigest } from './digest';
export { binaryKind, decodeText, stripAnsi, splitTextPlan, toDiffSyntax } from './plan-text';
export { renderPlan } from './render';
export type { PlanView } from './render';
export { parsePlanLog } from './failed-plan';
export { renderFailedPlan, failureMessage } from './render-failed';
export { preparePlan } from './prepare';
export type { PreparedPlan } from './prepare';
export { showPlanFile, TerraformShowError } from './show';
