/**
 * Scripted behaviour of tasks, attached to an image (by `repo:tag`, digest or full URI) or to a
 * one-off task's command. The ECS model asks which scenario applies when it launches a task.
 * A long-running task writes its `logLines` while it starts up, or, with `logAfterMs`, that long after
 * it reached RUNNING (new code that logs an error once it serves, e.g. during a bake).
 */
export type Scenario =
  | { kind: 'healthy'; startMs?: number; logLines?: string[]; logAfterMs?: number }
  | { kind: 'slow-start'; startMs: number; logLines?: string[]; logAfterMs?: number }
  | { kind: 'crash-loop'; exitCode?: number; reason?: string; afterMs?: number; logLines?: string[] }
  | { kind: 'exit'; exitCode: number; afterMs?: number; logLines?: string[]; reason?: string }
  | { kind: 'pull-failure'; reason?: string };

export class ScenarioRegistry {
  private readonly byImage = new Map<string, Scenario>();
  private readonly byCommand = new Map<string, Scenario>();

  forImage(image: string, scenario: Scenario): void {
    this.byImage.set(image, scenario);
  }

  forCommand(command: string | string[], scenario: Scenario): void {
    this.byCommand.set(Array.isArray(command) ? command.join(' ') : command, scenario);
  }

  /**
   * The scenario of an image. `aliases` are the other names ECR knows the same image by (its digest,
   * its tags), so a scenario attached to `repo:bad` also applies to `repo@sha256:<digest of bad>`.
   */
  imageScenario(image: string, aliases: string[]): Scenario | undefined {
    for (const key of [image, ...aliases]) {
      const found = this.byImage.get(key);
      if (found) return found;
    }
    return undefined;
  }

  commandScenario(command: string[] | undefined): Scenario | undefined {
    return command ? this.byCommand.get(command.join(' ')) : undefined;
  }

  clear(): void {
    this.byImage.clear();
    this.byCommand.clear();
  }
}
