import { describe, expect, it } from 'vitest';
import { formatImage, parseImage } from '../../packages/ecs';

const digest = 'sha256:' + 'b'.repeat(64);

describe('parseImage', () => {
  it('parses ECR URIs by tag and by digest', () => {
    const byTag = parseImage('123456789012.dkr.ecr.us-west-2.amazonaws.com/connect2-api-dev:abc123');
    expect(byTag).toMatchObject({ registry: '123456789012.dkr.ecr.us-west-2.amazonaws.com', repository: 'connect2-api-dev', tag: 'abc123', ecr: { accountId: '123456789012', region: 'us-west-2' } });
    const byDigest = parseImage(`123456789012.dkr.ecr.eu-central-1.amazonaws.com/team/api@${digest}`);
    expect(byDigest).toMatchObject({ repository: 'team/api', digest, tag: undefined, ecr: { region: 'eu-central-1' } });
    expect(formatImage(byDigest)).toBe(`123456789012.dkr.ecr.eu-central-1.amazonaws.com/team/api@${digest}`);
  });

  it('treats non-ECR images as such, defaulting the tag to latest', () => {
    expect(parseImage('nginx')).toMatchObject({ registry: '', repository: 'nginx', tag: 'latest', ecr: undefined });
    expect(parseImage('localhost:5000/api:1.2')).toMatchObject({ registry: 'localhost:5000', repository: 'api', tag: '1.2', ecr: undefined });
    expect(parseImage('ghcr.io/org/api:v1')).toMatchObject({ registry: 'ghcr.io', repository: 'org/api', tag: 'v1' });
  });

  it('names the input for malformed references', () => {
    expect(() => parseImage('repo@sha256:xyz')).toThrow(/^Input 'image' has digest 'sha256:xyz', which is not sha256:<64 hex>; use /);
    expect(() => parseImage('repo:bad tag')).toThrow(/^Input 'image' is 'repo:bad tag', not an image reference; use /);
  });
});
