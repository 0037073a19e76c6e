// Entry of the terraform-plan-comment bundle: the runner starts this file; the work is in ./run.
import { runAction } from '../../packages/action-kit';
import { commentPlan } from './run';

void runAction({ main: commentPlan });
