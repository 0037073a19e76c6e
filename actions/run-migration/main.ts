// Entry of the run-migration bundle (main and post step): the work is in ./run.
import { runAction } from '../../packages/action-kit';
import { runMigration, stopUnfinishedMigration } from './run';

void runAction({ main: runMigration, post: stopUnfinishedMigration });
