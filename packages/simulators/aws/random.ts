/**
 * Deterministic randomness. Ids, digests and fractional fault rates come from a seeded generator so
 * that a test run (and the request log it asserts on) is the same every time.
 */
import { createHash } from 'node:crypto';

/** mulberry32: tiny, fast and good enough to decide "throttle this call or not". */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ids in the formats AWS uses, derived from a seed and a counter (never from wall time). */
export class IdSource {
  private counter = 0;

  constructor(private readonly seed: string) {}

  private next(): string {
    this.counter += 1;
    return createHash('sha256').update(`${this.seed}:${this.counter}`).digest('hex');
  }

  /** 32 lowercase hex characters, like an ECS task id. */
  taskId(): string {
    return this.next().slice(0, 32);
  }

  /** `ecs-svc/` and 19 digits, like an ECS deployment id. */
  deploymentId(): string {
    const digits = BigInt(`0x${this.next().slice(0, 16)}`).toString().padStart(20, '0').slice(-19);
    return `ecs-svc/${digits.replace(/^0/, '1')}`;
  }

  /** An RFC 4122 version 4 UUID (service event ids, request ids). */
  uuid(): string {
    const h = this.next();
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Hex of a given length (container runtime ids, service revision ids). */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.next();
    return out.slice(0, length);
  }
}

/** The digest ECR would give an image: stable per repository and tag so tests can predict it. */
export function imageDigestFor(repository: string, tag: string): string {
  return `sha256:${createHash('sha256').update(`${repository}:${tag}`).digest('hex')}`;
}
