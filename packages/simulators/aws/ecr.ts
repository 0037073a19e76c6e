/**
 * ECR: repositories and images by tag and digest, and the operations the actions call
 * (DescribeImages to resolve a tag to a digest, BatchGetImage, DescribeRepositories).
 */
import type { Clock } from '../../action-kit';
import { AwsServiceError, invalidParameter } from './errors';
import { imageDigestFor } from './random';
import { parseImage, type ImageReference } from '../../ecs';

interface Repository {
  name: string;
  createdAt: number;
  images: StoredImage[];
}

interface StoredImage {
  digest: string;
  tags: string[];
  pushedAt: number;
  sizeInBytes: number;
}

const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

export class EcrModel {
  private readonly repositories = new Map<string, Repository>();

  constructor(
    private readonly clock: Clock,
    readonly region: string,
    readonly accountId: string,
  ) {}

  get registryHost(): string {
    return `${this.accountId}.dkr.ecr.${this.region}.amazonaws.com`;
  }

  repositoryUri(name: string): string {
    return `${this.registryHost}/${name}`;
  }

  seedRepository(name: string): { repositoryUri: string; repositoryArn: string } {
    if (!this.repositories.has(name)) this.repositories.set(name, { name, createdAt: this.clock.now(), images: [] });
    return { repositoryUri: this.repositoryUri(name), repositoryArn: this.repositoryArn(name) };
  }

  /** Pushes `repo:tag` (moving the tag if it was elsewhere); returns the digest. */
  seedImage(repository: string, tag: string, digest = imageDigestFor(repository, tag)): string {
    this.seedRepository(repository);
    const repo = this.repositories.get(repository)!;
    for (const image of repo.images) image.tags = image.tags.filter((t) => t !== tag);
    let image = repo.images.find((i) => i.digest === digest);
    if (!image) {
      image = { digest, tags: [], pushedAt: this.clock.now(), sizeInBytes: 50_000_000 + (parseInt(digest.slice(7, 13), 16) % 10_000_000) };
      repo.images.push(image);
    }
    image.tags.push(tag);
    return digest;
  }

  /**
   * Other names of the image a container definition references: its digest and `repo:tag` forms,
   * so scenarios attached under any name apply. Images outside this registry only get their own name.
   */
  aliases(image: string): { aliases: string[]; digest?: string } {
    const ref = imageReference(image);
    if (!ref) return { aliases: [] };
    const stored = this.lookup(ref);
    if (!stored) return { aliases: ref.digest ? [ref.digest] : [], digest: ref.digest };
    const names = [stored.digest, `${ref.repository}@${stored.digest}`, ...stored.tags.map((t) => `${ref.repository}:${t}`)];
    names.push(...stored.tags.map((t) => `${this.repositoryUri(ref.repository)}:${t}`), `${this.repositoryUri(ref.repository)}@${stored.digest}`);
    return { aliases: names, digest: stored.digest };
  }

  private lookup(ref: ImageReference): StoredImage | undefined {
    if (ref.registry && ref.registry !== this.registryHost) return undefined;
    const repo = this.repositories.get(ref.repository);
    if (!repo) return undefined;
    if (ref.digest) return repo.images.find((i) => i.digest === ref.digest);
    return repo.images.find((i) => i.tags.includes(ref.tag ?? 'latest'));
  }

  private repositoryArn(name: string): string {
    return `arn:aws:ecr:${this.region}:${this.accountId}:repository/${name}`;
  }

  private repository(name: unknown, registryId?: unknown): Repository {
    if (typeof name !== 'string' || !name) throw invalidParameter('repositoryName must be specified.');
    const repo = this.repositories.get(name);
    if (!repo || (registryId !== undefined && registryId !== this.accountId)) {
      throw new AwsServiceError(
        'RepositoryNotFoundException',
        `The repository with name '${name}' does not exist in the registry with id '${registryId ?? this.accountId}'`,
      );
    }
    return repo;
  }

  private detail(repo: Repository, image: StoredImage) {
    return {
      registryId: this.accountId,
      repositoryName: repo.name,
      imageDigest: image.digest,
      imageTags: image.tags.length ? [...image.tags] : undefined,
      imageSizeInBytes: image.sizeInBytes,
      imagePushedAt: image.pushedAt / 1000,
      imageManifestMediaType: MANIFEST_TYPE,
      artifactMediaType: 'application/vnd.docker.container.image.v1+json',
    };
  }

  private find(repo: Repository, id: { imageTag?: string; imageDigest?: string }): StoredImage | undefined {
    return repo.images.find(
      (i) => (id.imageDigest === undefined || i.digest === id.imageDigest) && (id.imageTag === undefined || i.tags.includes(id.imageTag)),
    );
  }

  describeImages(input: any) {
    const repo = this.repository(input.repositoryName, input.registryId);
    const ids: { imageTag?: string; imageDigest?: string }[] | undefined = input.imageIds;
    if (!ids?.length) {
      const tagStatus = input.filter?.tagStatus ?? 'ANY';
      const images = repo.images.filter((i) => tagStatus === 'ANY' || (tagStatus === 'TAGGED') === i.tags.length > 0);
      return { imageDetails: images.map((i) => this.detail(repo, i)) };
    }
    const details = ids.map((id) => {
      const image = this.find(repo, id);
      if (!image) {
        throw new AwsServiceError(
          'ImageNotFoundException',
          `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repo.name}' in the registry with id '${this.accountId}'`,
        );
      }
      return this.detail(repo, image);
    });
    return { imageDetails: details };
  }

  batchGetImage(input: any) {
    const repo = this.repository(input.repositoryName, input.registryId);
    const images: unknown[] = [];
    const failures: unknown[] = [];
    for (const id of (input.imageIds ?? []) as { imageTag?: string; imageDigest?: string }[]) {
      const image = this.find(repo, id);
      if (!image) {
        const byTag = id.imageTag !== undefined && id.imageDigest !== undefined && this.find(repo, { imageTag: id.imageTag });
        failures.push(
          byTag
            ? { imageId: id, failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Invalid image digest or tag' }
            : { imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
        );
        continue;
      }
      images.push({
        registryId: this.accountId,
        repositoryName: repo.name,
        imageId: { imageDigest: image.digest, imageTag: id.imageTag ?? image.tags[0] },
        imageManifest: manifest(image),
        imageManifestMediaType: MANIFEST_TYPE,
      });
    }
    return { images, failures };
  }

  describeRepositories(input: any) {
    const names: string[] | undefined = input.repositoryNames;
    const repos = names?.length ? names.map((n) => this.repository(n, input.registryId)) : [...this.repositories.values()];
    return {
      repositories: repos.map((repo) => ({
        repositoryArn: this.repositoryArn(repo.name),
        registryId: this.accountId,
        repositoryName: repo.name,
        repositoryUri: this.repositoryUri(repo.name),
        createdAt: repo.createdAt / 1000,
        imageTagMutability: 'MUTABLE',
        imageScanningConfiguration: { scanOnPush: false },
        encryptionConfiguration: { encryptionType: 'AES256' },
      })),
    };
  }
}

/** A Docker v2 manifest whose layers are derived from the digest (stable, plausible). */
function manifest(image: StoredImage): string {
  const hex = image.digest.slice(7);
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_TYPE,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${hex.split('').reverse().join('')}` },
    layers: [
      { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: Math.floor(image.sizeInBytes * 0.6), digest: `sha256:${hex.slice(32)}${hex.slice(0, 32)}` },
      { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: Math.floor(image.sizeInBytes * 0.4), digest: `sha256:${hex.slice(16)}${hex.slice(0, 16)}` },
    ],
  });
}

/** The image as the ECS engine reads it; undefined when it is no valid reference (ECS takes any string; such an image is in no registry). */
function imageReference(image: string): ImageReference | undefined {
  try {
    return parseImage(image);
  } catch {
    return undefined;
  }
}
