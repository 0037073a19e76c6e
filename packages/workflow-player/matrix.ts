/**
 * `strategy.matrix` expanded as GitHub documents it: the cartesian product of the keys, minus the
 * `exclude` entries (partial matches), then each `include` entry added to every combination whose
 * original values it does not overwrite, or appended as a combination of its own when it fits none.
 */
import type { Json } from './expressions';

export type MatrixLeg = Record<string, Json>;

const sameValue = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b);

export function expandMatrix(matrix: Record<string, Json> | null | undefined): MatrixLeg[] {
  if (!matrix) return [];
  const { include, exclude, ...axes } = matrix as Record<string, Json> & { include?: Json; exclude?: Json };
  let legs: MatrixLeg[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    if (!Array.isArray(values)) throw new Error(`matrix.${key} must be a list, got ${JSON.stringify(values)}`);
    legs = legs.flatMap((leg) => values.map((value) => ({ ...leg, [key]: value })));
  }
  if (Object.keys(axes).length === 0) legs = [];
  const excludes = Array.isArray(exclude) ? (exclude as MatrixLeg[]) : [];
  legs = legs.filter((leg) => !excludes.some((ex) => Object.entries(ex).every(([k, v]) => k in leg && sameValue(leg[k], v))));

  // Only the product's combinations take additions; an include that fits none is a combination of its own.
  const originalKeys = Object.keys(axes);
  const originals = legs.map((leg) => ({ ...leg }));
  const appended: MatrixLeg[] = [];
  for (const entry of Array.isArray(include) ? (include as MatrixLeg[]) : []) {
    let added = false;
    legs.forEach((leg, i) => {
      const fits = originalKeys.every((key) => !(key in entry) || sameValue(originals[i][key], entry[key]));
      if (fits) {
        Object.assign(leg, entry);
        added = true;
      }
    });
    if (!added) appended.push({ ...entry });
  }
  return [...legs, ...appended];
}
