/**
 * Real plans written by Terraform itself: the test data of hashicorp/terraform-json, as Debian ships
 * it (`golang-github-hashicorp-terraform-json-dev`). Tests that read them skip visibly when the
 * package is not installed.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const terraformJsonTestdata = process.env.TERRAFORM_JSON_TESTDATA ?? '/usr/share/gocode/src/github.com/hashicorp/terraform-json/testdata';

/** Every `<dir>/plan.json` under the test data, by directory name. */
export const terraformJsonPlans: { name: string; file: string }[] = existsSync(terraformJsonTestdata)
  ? readdirSync(terraformJsonTestdata, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(terraformJsonTestdata, entry.name, 'plan.json')))
      .map((entry) => ({ name: entry.name, file: path.join(terraformJsonTestdata, entry.name, 'plan.json') }))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
  : [];

export const haveTerraformJson = terraformJsonPlans.length > 0;

if (!haveTerraformJson) {
  console.warn(
    `SKIPPED: hashicorp/terraform-json test data not found at ${terraformJsonTestdata} (apt-get install golang-github-hashicorp-terraform-json-dev); the real-plan tests on it are skipped.`,
  );
}

/**
 * Counts taken straight from the raw JSON, the way Terraform's renderer counts for its `Plan:`
 * line, written apart from the engine so the two can be compared.
 */
export function rawCounts(document: any): { add: number; change: number; destroy: number; import: number; outputs: number } {
  const counts = { add: 0, change: 0, destroy: 0, import: 0, outputs: 0 };
  for (const resource of document.resource_changes ?? []) {
    const actions: string[] = resource.change.actions;
    if (resource.mode !== 'managed') continue;
    if (resource.change.importing) counts.import++;
    if (actions.includes('create')) counts.add++;
    if (actions.includes('delete')) counts.destroy++;
    if (actions.length === 1 && actions[0] === 'update') counts.change++;
  }
  for (const change of Object.values<any>(document.output_changes ?? {})) if (change.actions.join() !== 'no-op') counts.outputs++;
  return counts;
}
