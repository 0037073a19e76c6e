// The outside actions the templates and this repository's workflows may use, each at its current major
// for Node 24, pinned by the commit its release tag points at. Verified on 2026-12-01 by fetching each
// action's repository and reading the tag (`git rev-list -n1 <tag>`) and its action.yml (`runs.using:
// node24`). Updating a pin means verifying it the same way and changing it here and in the workflows.
export interface Pin {
  action: string;
  version: string;
  sha: string;
}

export const PINS: Pin[] = [
  { action: 'actions/checkout', version: 'v7.0.1', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  { action: 'actions/create-github-app-token', version: 'v3.1.1', sha: '1b10c78c7865c340bc4f6099eb2f838309f1e8c3' },
  { action: 'actions/setup-node', version: 'v6.5.0', sha: '249970729cb0ef3589644e2896645e5dc5ba9c38' },
  { action: 'actions/setup-python', version: 'v7.0.0', sha: '5fda3b95a4ea91299a34e894583c3862153e4b97' },
  { action: 'actions/upload-artifact', version: 'v7.0.0', sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f' },
  { action: 'aws-actions/amazon-ecr-login', version: 'v2.1.7', sha: '03f1aad4c6c7ffd436567f42f9384779290529bd' },
  { action: 'aws-actions/configure-aws-credentials', version: 'v6.2.3', sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c' },
  { action: 'docker/build-push-action', version: 'v7.3.0', sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a' },
  { action: 'github/codeql-action', version: 'v4.36.2', sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e' },
  { action: 'hashicorp/setup-terraform', version: 'v4.0.1', sha: 'dfe3c3f87815947d99a8997f908cb6525fc44e9e' },
];

const USES = /uses:\s*([\w.-]+\/[\w.-]+)(\/[\w./-]+)?@(\S+)(?:\s*#\s*(\S+))?/g;

/** Every `uses:` of an outside action in `text` that is not exactly one of the verified pins. */
export function unverifiedPins(text: string, where: string): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(USES)) {
    const [, action, , ref, comment] = match;
    if (action.endsWith('/connect2-actions') || action === '.') continue;
    const pin = PINS.find((p) => p.action === action);
    if (!pin) problems.push(`${where}: ${action} is not among the verified pins (test/templates/pins.ts)`);
    else if (ref !== pin.sha || comment !== pin.version) problems.push(`${where}: ${action}@${ref} # ${comment ?? ''} is not the verified ${pin.version} (${pin.sha})`);
  }
  return problems;
}
