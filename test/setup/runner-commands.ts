/**
 * vitest setup: actions run in process (the GitHub client, git auth) call core.setSecret, which writes
 * `::add-mask::<value>` to stdout for the runner. In the test log those lines are noise, and on a
 * GitHub runner they would be obeyed; they are dropped before they reach the log. Tests that spy on
 * process.stdout.write still see every call (their spy wraps this one).
 */
import { filterRunnerCommands } from './runner-commands-filter';

process.stdout.write = filterRunnerCommands(process.stdout.write.bind(process.stdout)) as typeof process.stdout.write;
