/**
 * Task definition revisions per family: register, resolve (`family`, `family:rev` or ARN),
 * deregister, list. Descriptions carry the fields ECS adds (revision, status, compatibilities,
 * registeredAt/By) so a normaliser sees what it sees against AWS.
 */
import type { Clock } from '../../../action-kit';
import { clientException } from '../errors';

export interface ContainerDefinition {
  name: string;
  image: string;
  essential?: boolean;
  command?: string[];
  logConfiguration?: { logDriver: string; options?: Record<string, string> };
  [key: string]: unknown;
}

export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  containerDefinitions: ContainerDefinition[];
  registeredAt: number;
  deregisteredAt?: number;
  tags: { key: string; value: string }[];
  /** Every other RegisterTaskDefinition input field, kept as given. */
  input: Record<string, unknown>;
}

export class TaskDefinitionRegistry {
  private readonly byArn = new Map<string, TaskDefinition>();
  private readonly revisions = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  register(input: any): TaskDefinition {
    const family: unknown = input.family;
    if (typeof family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
      throw clientException('Family contains invalid characters or is missing.');
    }
    const containers: ContainerDefinition[] = input.containerDefinitions ?? [];
    if (!containers.length) throw clientException('Container list cannot be empty.');
    for (const c of containers) {
      if (!c.name || !c.image) throw clientException('Container.name and Container.image should not be null or empty.');
    }
    if (input.requiresCompatibilities?.includes('FARGATE')) {
      if (input.networkMode !== 'awsvpc') throw clientException('Fargate only supports network mode ‘awsvpc’.');
      if (!input.cpu || !input.memory) throw clientException("Fargate requires that 'cpu' and 'memory' be defined at the task level.");
    }
    const revision = (this.revisions.get(family) ?? 0) + 1;
    this.revisions.set(family, revision);
    const { tags, ...rest } = input;
    const td: TaskDefinition = {
      taskDefinitionArn: `arn:aws:ecs:${this.region}:${this.accountId}:task-definition/${family}:${revision}`,
      family,
      revision,
      status: 'ACTIVE',
      containerDefinitions: containers.map((c) => ({ essential: true, ...c })),
      registeredAt: this.clock.now(),
      tags: tags ?? [],
      input: rest,
    };
    this.byArn.set(td.taskDefinitionArn, td);
    return td;
  }

  /** `family` (latest ACTIVE), `family:revision` or a full ARN; undefined when unknown. */
  find(reference: string): TaskDefinition | undefined {
    if (reference.startsWith('arn:')) return this.byArn.get(reference);
    const [family, revision] = reference.split(':');
    if (revision !== undefined) return this.byArn.get(`arn:aws:ecs:${this.region}:${this.accountId}:task-definition/${family}:${revision}`);
    const active = [...this.byArn.values()].filter((td) => td.family === family && td.status === 'ACTIVE');
    return active.sort((a, b) => b.revision - a.revision)[0];
  }

  resolve(reference: unknown): TaskDefinition {
    const td = typeof reference === 'string' ? this.find(reference) : undefined;
    if (!td) throw clientException('Unable to describe task definition.');
    return td;
  }

  deregister(reference: unknown): TaskDefinition {
    if (typeof reference !== 'string' || !/:\d+$/.test(reference)) {
      throw clientException('Invalid revision number. Number: ' + String(reference).split(':').pop());
    }
    const td = this.resolve(reference);
    if (td.status === 'ACTIVE') {
      td.status = 'INACTIVE';
      td.deregisteredAt = this.clock.now();
    }
    return td;
  }

  list(input: any): { taskDefinitionArns: string[]; nextToken?: string } {
    const status = input.status ?? 'ACTIVE';
    const prefix: string | undefined = input.familyPrefix;
    const all = [...this.byArn.values()]
      .filter((td) => td.status === status && (!prefix || td.family === prefix || td.family.startsWith(prefix)))
      .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision);
    if (input.sort === 'DESC') all.reverse();
    const offset = input.nextToken ? Number(input.nextToken) || 0 : 0;
    const limit = input.maxResults ?? 100;
    const page = all.slice(offset, offset + limit);
    return { taskDefinitionArns: page.map((td) => td.taskDefinitionArn), nextToken: offset + limit < all.length ? String(offset + limit) : undefined };
  }

  /** The TaskDefinition shape of the API. */
  describe(td: TaskDefinition) {
    const requires: string[] | undefined = td.input.requiresCompatibilities as string[] | undefined;
    return {
      ...td.input,
      taskDefinitionArn: td.taskDefinitionArn,
      family: td.family,
      revision: td.revision,
      status: td.status,
      containerDefinitions: td.containerDefinitions,
      networkMode: td.input.networkMode ?? 'bridge',
      volumes: td.input.volumes ?? [],
      placementConstraints: td.input.placementConstraints ?? [],
      requiresCompatibilities: requires,
      compatibilities: td.input.networkMode === 'awsvpc' ? ['EC2', 'FARGATE'] : ['EC2'],
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
      registeredAt: td.registeredAt / 1000,
      deregisteredAt: td.deregisteredAt === undefined ? undefined : td.deregisteredAt / 1000,
      registeredBy: `arn:aws:sts::${this.accountId}:assumed-role/connect2-deploy/gha`,
    };
  }
}
