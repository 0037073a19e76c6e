/**
 * Containers as local processes: a task whose image is a snapshot the runtime knows (the docker stand-in
 * builds them) runs its essential container as a process started in the snapshot's working directory,
 * with the image's ENV, the task definition's environment, its resolved `secrets` and the overrides.
 * Processes share the machine's network, so a container port is mapped to a free loopback port: the
 * command's `--port <containerPort>` (and `--host 0.0.0.0`) are rewritten to it. The container is
 * RUNNING once it answers HTTP on that port (the task definition's healthCheck path, else `/`), or at
 * once when it maps no port; its stdout/stderr lines go to the Logs simulator; its exit is real.
 * Stopping sends SIGTERM, then SIGKILL after the stop timeout. Nothing outlives the simulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, registerCleanup } from '../../postgres';
import type { ContainerDefinition } from './task-definitions';

/** An image as the docker stand-in snapshots it: files under `root`, and its stage's config. */
export interface ImageSnapshot {
  root: string;
  workdir: string;
  cmd: string[];
  entrypoint: string[];
  env: Record<string, string>;
}

export interface ContainerRuntimeOptions {
  /** The snapshot of an image digest, when the image is real. */
  image(digest: string): ImageSnapshot | undefined;
  /** The value of a secret's `valueFrom` (Secrets Manager ARN or SSM parameter), undefined when none. */
  secret(valueFrom: string): string | undefined;
  /** How the base image's executables are found here: `uvicorn` -> `[python, -m, uvicorn]`. */
  executable?(name: string): string[] | undefined;
  /** SIGTERM -> SIGKILL (ECS's stopTimeout default is 30 s). */
  stopTimeoutMs?: number;
}

export interface ProcessHooks {
  running(at: number): void;
  exited(exitCode: number, at: number): void;
  log(message: string, at: number): void;
}

export interface StartRequest {
  container: ContainerDefinition;
  snapshot: ImageSnapshot;
  command?: string[];
  environment?: { name: string; value: string }[];
}

export interface RunningContainer {
  port?: number;
  pid?: number;
  stop(): void;
}

/** The command as the container would run it: entryPoint + command, else the image's ENTRYPOINT + CMD. */
function argv(snapshot: ImageSnapshot, container: ContainerDefinition, override?: string[]): string[] {
  const entrypoint = (container.entryPoint as string[] | undefined) ?? snapshot.entrypoint;
  const command = override ?? container.command ?? snapshot.cmd;
  return [...entrypoint, ...command];
}

/** `--port 8000` -> the mapped port, `--host 0.0.0.0` -> loopback. */
function mapPort(args: string[], containerPort: number | undefined, hostPort: number | undefined): string[] {
  if (containerPort === undefined || hostPort === undefined) return args;
  return args.map((arg, i) => {
    if (args[i - 1] === '--port' && arg === String(containerPort)) return String(hostPort);
    if (args[i - 1] === '--host' && arg === '0.0.0.0') return '127.0.0.1';
    return arg.replace(new RegExp(`^(--port=|--bind=0\\.0\\.0\\.0:)${containerPort}$`), `$1${hostPort}`);
  });
}

/** The path of a `curl ... http://localhost:PORT/path` healthCheck, else `/`. */
function healthPath(container: ContainerDefinition): string {
  const command = ((container.healthCheck as { command?: string[] } | undefined)?.command ?? []).join(' ');
  return /https?:\/\/[^/\s]+(\/[^\s'"]*)/.exec(command)?.[1] ?? '/';
}

function answersHttp(port: number, pathname: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, timeout: 1000 }, (response) => {
      response.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export class ContainerRuntime {
  private readonly live = new Set<ChildProcess>();
  private readonly unregister: () => void;

  constructor(readonly options: ContainerRuntimeOptions) {
    this.unregister = registerCleanup(() => this.killAll('SIGKILL'));
  }

  /** Secrets the container asks for that do not resolve (the task then fails to start, as in ECS). */
  missingSecrets(container: ContainerDefinition): string[] {
    const secrets = (container.secrets as { name: string; valueFrom: string }[] | undefined) ?? [];
    return secrets.filter((s) => this.options.secret(s.valueFrom) === undefined).map((s) => s.valueFrom);
  }

  async start(req: StartRequest, hooks: ProcessHooks, now: () => number): Promise<RunningContainer> {
    const { container, snapshot } = req;
    const containerPort = (container.portMappings as { containerPort?: number }[] | undefined)?.[0]?.containerPort;
    const port = containerPort === undefined ? undefined : await freePort();
    const [program, ...args] = mapPort(argv(snapshot, container, req.command), containerPort, port);
    const resolved = this.options.executable?.(program) ?? [program];
    const child = spawn(resolved[0], [...resolved.slice(1), ...args], {
      cwd: path.join(snapshot.root, snapshot.workdir),
      env: this.environment(req),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.live.add(child);
    let exited = false;
    for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => hooks.log(line, now()));
    child.on('error', (error) => hooks.log(`exec ${program}: ${error.message}`, now()));
    child.on('close', (code, signal) => {
      exited = true;
      this.live.delete(child);
      hooks.exited(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), now());
    });
    if (port === undefined) hooks.running(now());
    else void this.waitHealthy(port, healthPath(container), () => exited, () => hooks.running(now()));
    return { port, pid: child.pid, stop: () => this.stop(child) };
  }

  private environment(req: StartRequest): NodeJS.ProcessEnv {
    const pairs = (list: unknown) => Object.fromEntries(((list as { name: string; value: string }[] | undefined) ?? []).map((e) => [e.name, e.value]));
    const secrets = Object.fromEntries(((req.container.secrets as { name: string; valueFrom: string }[] | undefined) ?? []).map((s) => [s.name, this.options.secret(s.valueFrom) ?? '']));
    return { PATH: process.env.PATH, LANG: 'C.UTF-8', PYTHONUNBUFFERED: '1', ...req.snapshot.env, ...pairs(req.container.environment), ...secrets, ...pairs(req.environment) };
  }

  private async waitHealthy(port: number, pathname: string, gone: () => boolean, healthy: () => void): Promise<void> {
    while (!gone()) {
      if (await answersHttp(port, pathname)) {
        if (!gone()) healthy();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private stop(child: ChildProcess): void {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 30_000);
    timer.unref();
    child.once('close', () => clearTimeout(timer));
  }

  private killAll(signal: NodeJS.Signals): void {
    for (const child of this.live) child.kill(signal);
  }

  /** Stops every container (SIGTERM, SIGKILL after the stop timeout) and waits until all are gone. */
  async close(): Promise<void> {
    const children = [...this.live];
    await Promise.all(children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('close', () => resolve());
      this.stop(child);
    })));
    this.unregister();
  }
}
