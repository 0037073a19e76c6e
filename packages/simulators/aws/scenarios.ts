/**
 * Scripted behaviour of tasks, attached to an image (by `repo:tag`, digest or full URI) or to a
 * one-off task's command. The ECS model asks which scenario applies when it launches a task.
 */
export type Scenario =
  | { kind: 'healthy'; startMs?: number; logLines?: string[] }
  | { kind: 'slow-start'; startMs: number; logLines?: string[] }
  | { kind: 'crash-loop'; exitCode?: number; reason?: string; afterMs?: number; logLines?: string[] }
  | { kind: 'exit'; exitCode: number; afterMs?: number; logLines?: string[]; reason?: string }
  | { kind: 'pull-failure'; reason?: string };

/** An image reference split the way ECS and ECR see it. */
export interface ImageReference {
  /** Registry host, when the reference names one. */
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Parses `repo`, `repo:tag`, `repo@sha256:...` and `registry/path/repo:tag`. */
export function parseImage(image: string): ImageReference {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  // A first part with a dot or a port is a registry host (as Docker decides it).
  const registry = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) ? parts.shift() : undefined;
  return { registry, repository: parts.join('/'), tag, digest };
}

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
