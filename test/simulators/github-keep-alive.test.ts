/**
 * The GitHub simulator leaves kept-alive connections to its clients to close: it announces a keep-alive
 * longer than any client's idle timeout (undici keeps an idle socket up to the server's hint minus 1 s),
 * so a client in a busy process never sends a request on a socket the server has just closed
 * (ECONNRESET, seen when several rehearsal worlds set up at once on two loaded cores).
 */
import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startGitHubSimulator, type GitHubSimulator } from '../../packages/simulators/github';

let gh: GitHubSimulator | undefined;

afterEach(async () => {
  await gh?.close();
});

describe('the GitHub simulator’s kept-alive connections', () => {
  it('announces a keep-alive of a minute, longer than the clients keep an idle socket', async () => {
    gh = await startGitHubSimulator();
    const header = await new Promise<string | undefined>((resolve, reject) => {
      const request = get(`${gh!.url}/rate_limit`, { headers: { connection: 'keep-alive' }, agent: false }, (response) => {
        response.resume();
        const value = response.headers['keep-alive'];
        resolve(typeof value === 'string' ? value : undefined);
      });
      request.on('error', reject);
    });
    expect(header).toBe('timeout=65');
  });
});
