/**
 * Whose error is it: a line the log watch matched counts against the rollout being verified unless ECS
 * says the task that logged it runs another task definition (awslogs names each stream
 * prefix/container/task-id). Why: a deploy that keeps the running revision ("unchanged", say the fix
 * after a failed rollout that the circuit breaker rolled back) watches from that deployment's start,
 * while the failed revision's tasks were still crashing and logging Tracebacks; and during any rollout
 * the old tasks log until they drain. Neither is the verified code's error.
 *
 * What cannot be told counts: a stream awslogs did not name, a task ECS no longer lists, a DescribeTasks
 * that failed (retried at the next read). A watch must not go blind by doubt.
 */
import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { errorMessage } from '../action-kit';
import { aws } from '../aws';
import type { EcsContext } from './context';
import type { LogMatch } from './log-watch';

/** DescribeTasks takes at most 100 tasks a call. */
const TASKS_PER_CALL = 100;

/** The task id of an awslogs stream (prefix/container/task-id), or undefined for a stream named otherwise. */
function taskIdOfStream(stream: string): string | undefined {
  const parts = stream.split('/');
  return parts.length >= 3 && parts.at(-1) ? parts.at(-1) : undefined;
}

export class LogAttribution {
  /** Task id -> the task definition it runs, as ECS answered. */
  private readonly revisions = new Map<string, string>();
  /** Task ids ECS answered as not found (stopped too long ago, or never a task): counted. */
  private readonly unknown = new Set<string>();

  constructor(
    private readonly ctx: EcsContext,
    private readonly cluster: string,
    /** The task definitions of the services being verified. */
    private readonly verified: Set<string>,
  ) {}

  /** The matches logged by tasks of another task definition than the verified ones. */
  async ofOtherRevisions(matches: LogMatch[]): Promise<LogMatch[]> {
    const ids = [...new Set(matches.map((m) => taskIdOfStream(m.stream)).filter((id): id is string => id !== undefined && !this.revisions.has(id) && !this.unknown.has(id)))];
    for (let start = 0; start < ids.length; start += TASKS_PER_CALL) await this.describe(ids.slice(start, start + TASKS_PER_CALL));
    return matches.filter((m) => {
      const revision = this.revisions.get(taskIdOfStream(m.stream) ?? '');
      return revision !== undefined && !this.verified.has(revision);
    });
  }

  private async describe(ids: string[]): Promise<void> {
    try {
      const answer = await aws('ecs:DescribeTasks', this.ctx.ecs.send(new DescribeTasksCommand({ cluster: this.cluster, tasks: ids })));
      for (const task of answer.tasks ?? []) {
        const id = task.taskArn?.split('/').at(-1);
        if (id && task.taskDefinitionArn) this.revisions.set(id, task.taskDefinitionArn);
      }
      for (const failure of answer.failures ?? []) {
        const id = failure.arn?.split('/').at(-1);
        if (id) this.unknown.add(id);
      }
    } catch (error) {
      this.ctx.log.debug(`DescribeTasks to tell whose log lines matched (they count until it answers): ${errorMessage(error)}`);
    }
  }
}
