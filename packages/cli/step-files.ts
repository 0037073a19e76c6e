/** The runner's file commands, read back: what an action wrote to GITHUB_OUTPUT and GITHUB_STATE. */

/** `name<<delimiter` heredocs and `name=value` lines, as @actions/core writes GITHUB_OUTPUT/GITHUB_STATE. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=]+?)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
      result[heredoc[1]] = body.join('\n');
    } else if (lines[i].indexOf('=') > 0) {
      const eq = lines[i].indexOf('=');
      result[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
    }
  }
  return result;
}
