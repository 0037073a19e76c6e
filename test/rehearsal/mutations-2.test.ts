// Part 2 of the template mutations (test/rehearsal/mutation-cases.ts), beside the other parts.
import { describeMutations } from './mutation-cases';

describeMutations(2, 3);
