// Entry of the api-diff bundle: the runner starts this file; the work is in ./run.
import { runAction } from '../../packages/action-kit';
import { apiDiff } from './run';

void runAction({ main: apiDiff });
