// Names of what main saves for the post step (GITHUB_STATE), declared once.
export const enum State {
  TaskArn = 'task-arn',
  Cluster = 'cluster',
  /** 'true' once main has seen the task STOPPED (or stopped it itself and seen it stop). */
  Finished = 'finished',
}
