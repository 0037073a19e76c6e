// Entry of the ecs-deploy bundle: the runner starts this file (main and post); the work is in ./run.
import { runAction } from '../../packages/action-kit';
import { deploy, post } from './run';

void runAction({ main: deploy, post });
