/**
 * The runbook's "team notified of deployment", read at the end of the story (stage 9): every production
 * deploy and rollback so far, refused attempts too, and every release the pipeline created, was posted
 * to NOTIFY_WEBHOOK_URL.
 */
import { expectThat } from './checks';
import type { StoryContext } from './stages';
import { FULL_REPO } from './world';

export function productionWasAnnounced(ctx: StoryContext): void {
  // The deploys and rollbacks (task deploy:ecs): a Terraform apply is recorded as a deployment too (terraform:apply) and posts nothing.
  const prod = ctx.gh.state.deployments(FULL_REPO).filter((d) => d.environment === 'prod' && d.task === 'deploy:ecs');
  const posts = ctx.notifications.posts.map((p) => p.text);
  const prodPosts = posts.filter((text) => /^connect2-api prod: (deploy|rollback)/.test(text));
  // The releases the pipeline created (a world of its own starts with stage 4's release, which nobody here announced).
  const created = new Set(ctx.player.runs.flatMap((run) => run.jobs.flatMap((j) => j.steps)).filter((s) => s.name === 'Create the release' && s.conclusion === 'success').map((s) => s.outputs.tag));
  const releases = ctx.gh.state.releases(FULL_REPO).filter((r) => !r.draft && created.has(r.tagName));
  const releasePosts = posts.filter((text) => /released to production/.test(text));
  ctx.timeline.expect('each production deploy, rollback and release posted one notification to NOTIFY_WEBHOOK_URL (the team notified)', [
    // A deploy refused before it recorded a deployment (stage 8's unprotected prod) is announced too.
    ...expectThat(prod.length > 0 && prodPosts.length >= prod.length, `${prodPosts.length} prod deploy/rollback posts for ${prod.length} prod deployments`),
    ...expectThat(releases.length > 0 && releasePosts.length === releases.length, `${releasePosts.length} release posts for ${releases.length} releases`),
    ...expectThat(releases.every((r) => releasePosts.some((text) => text.includes(r.tagName))), 'a release is not named in its post'),
  ], `${posts.length} posts in all: ${prodPosts.length} prod deploys/rollbacks, ${releasePosts.length} releases`);
}

