export { createGitHubClient, graphqlUrl, httpStatus } from './client';
export type { GitHubClient, GitHubClientOptions } from './client';
export { currentRepository, readEvent, runUrl } from './repository';
export type { RepositoryRef } from './repository';
