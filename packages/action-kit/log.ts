/** Log helpers: collapsible groups for noise, annotations for what a reviewer must see. */
export { group, info, warning } from '@actions/core';
