/** The runbook's branch model, shared by the actions: which branches promote reviewed work. */
export { PROMOTION_BRANCHES, branchName, isPromotionBranch, revertedBranch } from './promotion';
