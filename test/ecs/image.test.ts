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
    expect(() => parseImage('repo@sha256:xyz')).toThrow(/^Input 'image' has digest 'sha256:xyz', which is not algorithm:hex \(sha256:<64 lowercase hex digits>\); use /);
    expect(() => parseImage('repo:bad tag')).toThrow(/^Input 'image' is 'repo:bad tag', not an image reference; use /);
  });

  it.each([
    ['ghcr.io/Acme/App:1', /^Input 'image' is 'ghcr\.io\/Acme\/App:1': repository 'Acme\/App' must be lowercase; use 'ghcr\.io\/acme\/app:1'\.$/],
    ['connect2_api_:v1', /repository 'connect2_api_' has a path component 'connect2_api_' that is not/],
    ['ghcr.io/org//api:v1', /repository 'org\/\/api' has an empty path component/],
    ['ghcr.io/org/api:-v1', /has tag '-v1', which is not a valid tag/],
    [`ghcr.io/org/api:${'t'.repeat(129)}`, /which is not a valid tag/],
    ['ghcr.io/org/api@md5:abc', /has digest 'md5:abc', which is not algorithm:hex/],
    [`ghcr.io/org/api@sha256:${'B'.repeat(63)}`, /which is not algorithm:hex/],
    ['-bad.example.com/api:v1', /registry '-bad\.example\.com' is not a valid host/],
  ])('refuses %s as the registry grammar does', (image, message) => {
    expect(() => parseImage(image)).toThrow(message);
  });

  it('accepts what the grammar allows', () => {
    expect(parseImage('ghcr.io/org/my_app__x-y.z/api:v1.2_3-rc')).toMatchObject({ repository: 'org/my_app__x-y.z/api', tag: 'v1.2_3-rc' });
    expect(parseImage(`registry.example.com:5000/api:${'t'.repeat(128)}`)).toMatchObject({ registry: 'registry.example.com:5000' });
    expect(parseImage(`api:v1@${digest}`)).toMatchObject({ repository: 'api', tag: 'v1', digest });
    expect(parseImage(`api@sha512:${'c'.repeat(128)}`)).toMatchObject({ digest: `sha512:${'c'.repeat(128)}` });
  });
});
