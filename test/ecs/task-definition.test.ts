import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import {
  diffTaskDefinitions,
  normalizeTaskDefinition,
  readTaskDefinitionFile,
  sameTaskDefinition,
  selectContainer,
  withContainerImage,
} from '../../packages/ecs';

const described: TaskDefinition = {
  taskDefinitionArn: 'arn:aws:ecs:us-west-2:123456789012:task-definition/connect2-api-dev:7',
  family: 'connect2-api-dev',
  revision: 7,
  status: 'ACTIVE',
  requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
  compatibilities: ['EC2', 'FARGATE'],
  registeredAt: new Date('2026-01-01T00:00:00Z'),
  registeredBy: 'arn:aws:iam::123456789012:role/deploy',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'connect2-api',
      image: 'repo:old',
      essential: true,
      command: [],
      environment: [
        { name: 'B', value: '2' },
        { name: 'A', value: '' },
      ],
    },
    { name: 'sidecar', image: 'envoy:1', essential: false },
  ],
};

describe('normalizeTaskDefinition', () => {
  it('strips every read-only field and keeps empty values the user set', () => {
    const normal = normalizeTaskDefinition(described) as unknown as Record<string, unknown>;
    for (const field of ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt']) {
      expect(normal).not.toHaveProperty(field);
    }
    const container = (normal.containerDefinitions as { command: string[]; environment: { name: string; value: string }[] }[])[0];
    expect(container.command).toEqual([]);
    expect(container.environment).toContainEqual({ name: 'A', value: '' });
    expect(normal.family).toBe('connect2-api-dev');
  });

  it('accepts the wrapped output of describe-task-definition', () => {
    const normal = normalizeTaskDefinition({ taskDefinition: described } as Record<string, unknown>);
    expect(normal.family).toBe('connect2-api-dev');
    expect(normal).not.toHaveProperty('revision');
  });
});

describe('sameTaskDefinition and diffTaskDefinitions', () => {
  const current = normalizeTaskDefinition(described);

  it('treats a revision with the same image as unchanged, whatever the env order or cpu type', () => {
    const reordered = {
      ...current,
      cpu: 256 as unknown as string,
      containerDefinitions: current.containerDefinitions!.map((c) => ({ ...c, environment: c.environment ? [...c.environment].reverse() : undefined, portMappings: [] })),
    };
    expect(sameTaskDefinition(current, reordered)).toBe(true);
    expect(sameTaskDefinition(current, withContainerImage(current, 'connect2-api', 'repo:old'))).toBe(true);
    expect(diffTaskDefinitions(current, reordered)).toEqual([]);
  });

  it('ignores tags, which DescribeTaskDefinition returns apart from the revision', () => {
    expect(sameTaskDefinition(current, { ...current, tags: [{ key: 'Environment', value: 'dev' }] })).toBe(true);
  });

  it('reports image, env names and cpu/memory changes, never env values', () => {
    const next = withContainerImage(
      {
        ...current,
        memory: '1024',
        containerDefinitions: current.containerDefinitions!.map((c) =>
          c.name === 'connect2-api' ? { ...c, environment: [{ name: 'B', value: 'secret-new' }, { name: 'C', value: 'x' }] } : c,
        ),
      },
      'connect2-api',
      'repo@sha256:' + 'a'.repeat(64),
    );
    expect(sameTaskDefinition(current, next)).toBe(false);
    const diff = diffTaskDefinitions(current, next);
    expect(diff).toContainEqual({ scope: 'task', field: 'memory', before: '512', after: '1024' });
    expect(diff).toContainEqual({ scope: 'connect2-api', field: 'image', before: 'repo:old', after: 'repo@sha256:' + 'a'.repeat(64) });
    expect(diff).toContainEqual({ scope: 'connect2-api', field: 'environment', before: '', after: 'added C' });
    expect(diff).toContainEqual({ scope: 'connect2-api', field: 'environment', before: 'removed A', after: '' });
    expect(diff).toContainEqual({ scope: 'connect2-api', field: 'environment', before: '', after: 'value changed: B' });
    expect(JSON.stringify(diff)).not.toContain('secret-new');
  });

  it('names other changed fields when none of the headline ones changed', () => {
    const diff = diffTaskDefinitions(current, { ...current, executionRoleArn: 'arn:aws:iam::123456789012:role/x' });
    expect(diff).toEqual([{ scope: 'task', field: 'other', before: '', after: 'changed: executionRoleArn' }]);
  });
});

describe('selectContainer', () => {
  const current = normalizeTaskDefinition(described);
  it('requires the container input when there are several, listing them', () => {
    expect(() => selectContainer(current, undefined)).toThrow(/^Input 'container' is required because .* 2 containers; set it to one of 'connect2-api', 'sidecar'\.$/);
  });
  it('names an unknown container and what exists', () => {
    expect(() => selectContainer(current, 'web')).toThrow(/^Input 'container' is 'web', which is not a container .*; use one of 'connect2-api', 'sidecar'\.$/);
  });
  it('takes the only container without a name', () => {
    const single = { ...current, containerDefinitions: [current.containerDefinitions![0]] };
    expect(selectContainer(single, undefined).name).toBe('connect2-api');
  });
});

describe('readTaskDefinitionFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'td-'));
  it('reads a file, normalised', async () => {
    const file = path.join(dir, 'td.json');
    writeFileSync(file, JSON.stringify({ ...described, registeredAt: '2026-01-01' }));
    const td = await readTaskDefinitionFile(file);
    expect(td.family).toBe('connect2-api-dev');
    expect(td).not.toHaveProperty('registeredAt');
  });
  it('names the input for a missing file, bad JSON and a file without family', async () => {
    await expect(readTaskDefinitionFile(path.join(dir, 'nope.json'))).rejects.toThrow(/^Input 'task-definition' names '.*nope\.json', which cannot be read \(ENOENT\)/);
    writeFileSync(path.join(dir, 'bad.json'), '{');
    await expect(readTaskDefinitionFile(path.join(dir, 'bad.json'))).rejects.toThrow(/^Input 'task-definition' file .* is not valid JSON/);
    writeFileSync(path.join(dir, 'nofamily.json'), '{"containerDefinitions":[{"name":"a"}]}');
    await expect(readTaskDefinitionFile(path.join(dir, 'nofamily.json'))).rejects.toThrow(/has no 'family'/);
  });
});
