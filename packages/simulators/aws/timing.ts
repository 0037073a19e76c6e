/** How long ECS takes for each step of a task's life in the simulator (milliseconds). */
export interface EcsTiming {
  /** PROVISIONING -> PENDING (ENI attached). */
  provisioningMs: number;
  /** PENDING -> RUNNING (image pulled, container started) unless a scenario says otherwise. */
  pendingMs: number;
  /** RUNNING -> counted healthy by the scheduler (health checks / grace period). */
  healthyAfterMs: number;
  /** Stop requested or container exited -> STOPPED. */
  stopMs: number;
  /** Crash-loop tasks exit this long after RUNNING unless the scenario says otherwise. */
  crashAfterMs: number;
  /** A one-off task with no scenario runs this long and exits 0. */
  oneOffRunMs: number;
}

export const DEFAULT_TIMING: EcsTiming = {
  provisioningMs: 200,
  pendingMs: 300,
  healthyAfterMs: 500,
  stopMs: 200,
  crashAfterMs: 500,
  oneOffRunMs: 1000,
};
