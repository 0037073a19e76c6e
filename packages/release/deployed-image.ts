/**
 * The image a production deploy shipped, named in its release: `name@sha256:<64 hex>` (the digest
 * ecs-deploy outputs) or `name:tag`. Checked before any call, so a typo fails as an input error and
 * never lands in published notes.
 */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/** A registry host (with an optional port) before the first slash, as the reference grammar allows. */
const REGISTRY = '[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?/';
const NAME = `(?:${REGISTRY})?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const IMAGE = new RegExp(`^${NAME}(?:@sha256:[a-f0-9]{64}|:[\\w][\\w.-]{0,127})$`);

/** Why `image` cannot name the deployed image, or undefined when it can. */
export function deployedImageProblem(image: string): string | undefined {
  if (/\s/.test(image)) return 'contains whitespace';
  const at = image.indexOf('@');
  if (at >= 0 && !/^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1))) return `has digest '${image.slice(at + 1)}', not sha256:<64 lowercase hex digits>`;
  if (!IMAGE.test(image)) return 'is not name@sha256:<digest> or name:tag';
  return undefined;
}

/** The notes' line naming the image. */
export function deployedImageLine(image: string): string {
  return `**Deployed image:** \`${image}\``;
}
