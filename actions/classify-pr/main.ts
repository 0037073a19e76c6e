// Entry of the classify-pr bundle: the runner starts this file; the work is in ./run.
import { runAction } from '../../packages/action-kit';
import { classifyPr } from './run';

void runAction({ main: classifyPr });
