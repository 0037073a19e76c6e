// Entry of the create-release bundle: the runner starts this file; the work is in ./run.
import { runAction } from '../../packages/action-kit';
import { createRelease } from './run';

void runAction({ main: createRelease });
