/**
 * What docker/build-push-action's stand-in builds when the world keeps images (world.imageStore): a
 * content-addressed snapshot of the build context at the Dockerfile's target stage. The stage chain
 * (`FROM base AS production`) gives WORKDIR, ENV, CMD and ENTRYPOINT; each COPY puts context files under
 * the snapshot's root. RUN is not played (no container engine): the base image's programs are the
 * machine's. The digest is sha256 over the files and the config, so the same content is the same digest.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Snapshot {
  digest: string;
  root: string;
  workdir: string;
  cmd: string[];
  entrypoint: string[];
  env: Record<string, string>;
}

interface Stage {
  name?: string;
  from: string;
  lines: string[];
}

function stages(dockerfile: string): Stage[] {
  const result: Stage[] = [];
  const joined = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const line of joined) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) result.push({ from: from[1], name: from[2], lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

/** The target stage and the stages it is built FROM, oldest first. */
function chain(all: Stage[], target: string | undefined): Stage[] {
  let stage = target ? all.find((s) => s.name?.toLowerCase() === target.toLowerCase()) : all.at(-1);
  if (!stage) throw new Error(`ERROR: failed to build: failed to solve: target stage "${target}" could not be found`);
  const result: Stage[] = [stage];
  while ((stage = all.find((s) => s.name && s.name === result[0].from))) result.unshift(stage);
  return result;
}

/** `["a","b"]` (exec form) or `a b` (shell form, run by /bin/sh -c). */
function execForm(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')) return parsed;
  } catch {
    // shell form
  }
  return ['/bin/sh', '-c', text];
}

function files(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(root, full) : [path.relative(root, full)];
  });
}

interface Config {
  workdir: string;
  cmd: string[];
  entrypoint: string[];
  env: Record<string, string>;
}

function apply(line: string, config: Config, context: string, rootfs: string): void {
  const [instruction, ...rest] = line.split(/\s+/);
  const args = line.slice(instruction.length).trim();
  switch (instruction.toUpperCase()) {
    case 'WORKDIR':
      config.workdir = path.posix.resolve(config.workdir, args);
      break;
    case 'ENV':
      for (const [, key, value] of args.includes('=') ? args.matchAll(/(\w+)=("[^"]*"|\S+)/g) : [[args, rest[0], rest.slice(1).join(' ')]]) config.env[key] = value.replace(/^"|"$/g, '');
      break;
    case 'CMD':
      config.cmd = execForm(args);
      break;
    case 'ENTRYPOINT':
      config.entrypoint = execForm(args);
      config.cmd = [];
      break;
    case 'COPY':
      copy(rest.filter((a) => !a.startsWith('--')), config.workdir, context, rootfs, rest.find((a) => a.startsWith('--from')));
      break;
    default:
      // RUN, EXPOSE, ARG, USER, LABEL...: nothing to play without a container engine.
  }
}

function copy(args: string[], workdir: string, context: string, rootfs: string, from?: string): void {
  if (from) throw new Error(`ERROR: failed to build: COPY ${from} is not played by the workflow player's build`);
  const dest = path.posix.resolve(workdir, args.at(-1)!);
  const sources = args.slice(0, -1);
  for (const source of sources) {
    const full = path.resolve(context, source);
    if (!existsSync(full)) throw new Error(`ERROR: failed to build: failed to solve: failed to compute cache key: "/${source}": not found`);
    const intoDir = dest.endsWith('/') || sources.length > 1 || statSync(full).isDirectory() || args.at(-1) === '.';
    const target = path.join(rootfs, intoDir && statSync(full).isFile() ? path.posix.join(dest, path.basename(source)) : dest);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(full, target, { recursive: true });
  }
}

/** Builds (or finds) the snapshot of `context` at `target` of `dockerfile` in `store`. */
export function buildSnapshot(options: { context: string; dockerfile: string; target?: string; store: string }): Snapshot {
  const config: Config = { workdir: '/', cmd: [], entrypoint: [], env: {} };
  const building = path.join(options.store, `building-${process.pid}-${Date.now()}`);
  mkdirSync(building, { recursive: true });
  try {
    for (const stage of chain(stages(readFileSync(options.dockerfile, 'utf8')), options.target)) for (const line of stage.lines) apply(line, config, options.context, building);
    const hash = createHash('sha256').update(JSON.stringify(config));
    for (const file of files(building).sort()) hash.update(`\0${file}\0`).update(readFileSync(path.join(building, file)));
    const digest = `sha256:${hash.digest('hex')}`;
    const root = path.join(options.store, digest.slice(7));
    if (existsSync(root)) rmSync(building, { recursive: true, force: true });
    else renameSync(building, root);
    return { digest, root, ...config };
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  }
}
