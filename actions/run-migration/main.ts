// Entry of the run-migration bundle: the runner starts this file; the work is in ./run.
import { runAction } from '../../packages/action-kit';
import { runMigration } from './run';

void runAction({ main: runMigration });
