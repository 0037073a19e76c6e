// Entry of the wait-stable bundle: the runner starts this file; the work is in ./run.
import { runAction } from '../../packages/action-kit';
import { waitStable } from './run';

void runAction({ main: waitStable });
