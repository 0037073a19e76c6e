/**
 * From inputs to what a render needs: parse and redact the JSON, count, digest, and take the
 * diff bodies of a text plan (ANSI stripped, scrubbed of every value the JSON marks sensitive).
 */
import { countChanges, planLine, type PlanCounts } from './counts';
import { planDigest } from './digest';
import { parsePlanJson, type PlanModel } from './plan-json';
import { splitTextPlan, type TextBodies } from './plan-text';
import type { SecretScrubber } from './redact';

export interface PreparedPlan {
  plan: PlanModel;
  counts: PlanCounts;
  summary: string;
  digest: string;
  text?: TextBodies;
  /** Why the text plan was not used, when it was given but ignored. */
  textIgnored?: string;
  secrets: SecretScrubber;
}

export function preparePlan(json: string, textPlan?: string): PreparedPlan {
  const { plan, secrets } = parsePlanJson(json);
  const counts = countChanges(plan);
  const summary = planLine(counts);
  const prepared: PreparedPlan = { plan, counts, summary, digest: planDigest(plan), secrets };
  if (textPlan !== undefined) {
    const addresses = new Set<string>();
    for (const resource of [...plan.resources, ...plan.deferred, ...plan.drift]) {
      addresses.add(resource.address);
      if (resource.previousAddress) addresses.add(resource.previousAddress);
    }
    const bodies = splitTextPlan(textPlan, addresses);
    // The JSON is the truth; a text plan of another run would put wrong diffs under right names.
    if (bodies.planLine && bodies.planLine !== summary) {
      prepared.textIgnored = `its "${bodies.planLine}" does not match the JSON plan ("${summary}")`;
    } else {
      prepared.text = scrubBodies(bodies, secrets);
    }
  }
  return prepared;
}

/**
 * Terraform already prints `(sensitive value)` in text plans; this is the second line of defence
 * for values it printed anyway (a provider that forgot to mark an attribute the JSON does mark, a
 * sensitive variable interpolated into a plain string). A body that still holds a secret after
 * scrubbing is dropped, and the JSON rendering is used for that resource.
 */
function scrubBodies(bodies: TextBodies, secrets: SecretScrubber): TextBodies {
  const clean = (map: Map<string, string>) => {
    const result = new Map<string, string>();
    for (const [address, body] of map) {
      const scrubbed = secrets.scrub(body);
      if (!secrets.leaks(scrubbed)) result.set(address, scrubbed);
    }
    return result;
  };
  return { ...bodies, changes: clean(bodies.changes), drift: clean(bodies.drift), deferred: clean(bodies.deferred) };
}
