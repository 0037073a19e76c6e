// Entry of the ecs-deploy bundle: the runner starts this file; the work is in ./run.
import { runAction } from '../../packages/action-kit';
import { deploy } from './run';

void runAction({ main: deploy });
