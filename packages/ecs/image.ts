/**
 * Container images: ECR URIs parsed, a tag resolved to the digest it points at now (so the revision
 * pins exactly what was tested, and a re-pushed tag cannot change a running service), a missing tag
 * reported before anything changes. Images outside ECR are deployed as given.
 */
import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { InputError } from '../action-kit';
import { aws, AwsCallError } from '../aws';

export interface ImageReference {
  /** The reference as given. */
  raw: string;
  /** `123456789012.dkr.ecr.us-west-2.amazonaws.com`, `docker.io`, ... ('' for a bare name). */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** Set for ECR registries. */
  ecr?: { accountId: string; region: string };
}

const ECR_REGISTRY = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
/**
 * The distribution/reference grammar (what Docker, ECR and every registry accept), so a reference
 * no registry can serve is refused before anything is registered:
 *   path-component  [a-z0-9]+ ((?:[._]|__|-+) [a-z0-9]+)*   (lowercase only)
 *   tag             [\w][\w.-]{0,127}
 *   digest          algorithm:hex, checked for the algorithms registries use (sha256: 64, sha384: 96, sha512: 128 lowercase hex)
 *   domain          host components [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])? joined by dots, or [IPv6], with an optional :port
 */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-f0-9]+)$/;
const DIGEST_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
/** A repository name (without the registry) is at most 255 characters. */
const NAME_MAX = 255;

/** Parses `registry/repo:tag`, `registry/repo@sha256:...` or `repo[:tag]`; throws an InputError when malformed. */
export function parseImage(raw: string, inputName = 'image'): ImageReference {
  const text = raw.trim();
  if (text === '' || /\s/.test(text)) {
    throw new InputError(inputName, `is '${raw}', not an image reference`, 'use repo:tag or repo@sha256:<digest>, e.g. 123456789012.dkr.ecr.us-west-2.amazonaws.com/connect2-api-dev:abc123');
  }
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const match = DIGEST.exec(digest);
    if (!match || DIGEST_LENGTH[match[1]] !== match[2].length) {
      throw new InputError(inputName, `has digest '${digest}', which is not algorithm:hex (sha256:<64 lowercase hex digits>)`, 'use repo@sha256:<64 hex digits> or repo:tag');
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new InputError(inputName, `has tag '${tag}', which is not a valid tag`, 'use letters, digits, _ . - (up to 128)');
  }
  const firstSlash = rest.indexOf('/');
  const first = firstSlash >= 0 ? rest.slice(0, firstSlash) : '';
  // A first part with a dot or a port, or `localhost`, is a registry host (Docker's rule).
  const hasRegistry = firstSlash >= 0 && (/[.:]/.test(first) || first === 'localhost');
  const registry = hasRegistry ? first : '';
  const repository = hasRegistry ? rest.slice(firstSlash + 1) : rest;
  if (repository === '') throw new InputError(inputName, `is '${raw}', which names no repository`, 'use repo:tag or repo@sha256:<digest>');
  checkGrammar(text, registry, repository, inputName);
  const match = ECR_REGISTRY.exec(registry);
  return {
    raw: text,
    registry,
    repository,
    tag: tag ?? (digest ? undefined : 'latest'),
    digest,
    ecr: match ? { accountId: match[1], region: match[2] } : undefined,
  };
}

/** Registry host and repository path against the grammar; the tag and digest are checked by the caller. */
function checkGrammar(text: string, registry: string, repository: string, inputName: string): void {
  if (registry && !DOMAIN.test(registry)) {
    throw new InputError(inputName, `is '${text}': registry '${registry}' is not a valid host`, 'use host[:port]/repository, e.g. 123456789012.dkr.ecr.us-west-2.amazonaws.com/connect2-api-dev:abc123');
  }
  if (repository.length > NAME_MAX) {
    throw new InputError(inputName, `is '${text}': repository '${repository.slice(0, 40)}...' is ${repository.length} characters long`, `use at most ${NAME_MAX}`);
  }
  const components = repository.split('/');
  if (components.some((c) => c === '')) {
    throw new InputError(inputName, `is '${text}': repository '${repository}' has an empty path component`, 'separate path components with one /');
  }
  const bad = components.find((c) => !PATH_COMPONENT.test(c));
  if (bad === undefined) return;
  if (components.every((c) => PATH_COMPONENT.test(c.toLowerCase()))) {
    const lower = registry ? `${registry}/${repository.toLowerCase()}` : repository.toLowerCase();
    throw new InputError(inputName, `is '${text}': repository '${repository}' must be lowercase`, `use '${lower}${text.slice((registry ? registry.length + 1 : 0) + repository.length)}'`);
  }
  throw new InputError(
    inputName,
    `is '${text}': repository '${repository}' has a path component '${bad}' that is not lowercase letters and digits separated by '.', '_', '__' or '-'`,
    'fix the repository name (registries refuse it)',
  );
}

export function formatImage(ref: Pick<ImageReference, 'registry' | 'repository' | 'tag' | 'digest'>): string {
  const base = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
  return ref.digest ? `${base}@${ref.digest}` : `${base}:${ref.tag ?? 'latest'}`;
}

export interface ResolvedImage {
  /** What goes into the task definition. */
  image: string;
  reference: ImageReference;
  /** The digest, when known (given, or resolved from the tag). */
  digest?: string;
  /** How it was arrived at, for the log and the summary. */
  note: string;
}

/**
 * Checks an ECR image exists and, with `resolveDigest`, turns its tag into `repo@sha256:...`.
 * A missing repository, tag or digest is an InputError naming the input (nothing has changed yet);
 * AccessDenied surfaces as ecr:DescribeImages being denied.
 */
export async function resolveImage(
  ecr: ECRClient | undefined,
  raw: string,
  options: { resolveDigest: boolean; inputName?: string },
): Promise<ResolvedImage> {
  const inputName = options.inputName ?? 'image';
  const reference = parseImage(raw, inputName);
  if (!reference.ecr) return { image: reference.raw, reference, digest: reference.digest, note: 'not an ECR image: deployed as given' };
  if (!ecr || (!options.resolveDigest && !reference.digest)) {
    return { image: reference.raw, reference, digest: reference.digest, note: 'deployed by tag (resolve-digest is off)' };
  }
  const imageId = reference.digest ? { imageDigest: reference.digest } : { imageTag: reference.tag };
  let digest: string | undefined;
  try {
    const answer = await aws(
      'ecr:DescribeImages',
      ecr.send(new DescribeImagesCommand({ registryId: reference.ecr.accountId, repositoryName: reference.repository, imageIds: [imageId] })),
    );
    digest = answer.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    const code = error instanceof AwsCallError ? error.code : undefined;
    if (code === 'ImageNotFoundException') {
      const what = reference.digest ? `digest ${reference.digest}` : `tag '${reference.tag}'`;
      throw new InputError(inputName, `is '${raw}', but ECR repository '${reference.repository}' has no image with ${what}`, 'push the image first or fix the tag (a missing image is refused before anything changes)');
    }
    if (code === 'RepositoryNotFoundException') {
      throw new InputError(inputName, `is '${raw}', but ECR repository '${reference.repository}' does not exist in registry ${reference.ecr.accountId}`, 'check the repository name and the account (e.g. connect2-api-<env>)');
    }
    throw error;
  }
  if (!digest) {
    throw new InputError(inputName, `is '${raw}', but ECR returned no digest for it`, 'push the image again or give repo@sha256:<digest>');
  }
  const pinned = formatImage({ ...reference, tag: undefined, digest });
  return {
    image: pinned,
    reference,
    digest,
    note: reference.digest ? 'digest checked in ECR' : `tag '${reference.tag}' resolved to ${digest}`,
  };
}
