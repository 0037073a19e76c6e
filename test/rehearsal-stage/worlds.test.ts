/**
 * Stages played at once in worlds of their own still read as the sequential story: the terminal shows
 * each stage's lines in stage order, and the timeline that comes back lists expectations, runs and
 * stage timings in stage order, naming the stages played apart in report.md.
 */
import { describe, expect, it } from 'vitest';
import { StageOutput } from '../../scripts/rehearsal/stage-output';
import { Timeline } from '../../scripts/rehearsal/timeline';
import type { RunRecord } from '../../packages/workflow-player';

describe('the output of stages played at once', () => {
  it('prints the earliest unfinished stage as it plays and holds later stages until the ones before them finish', () => {
    const written: string[] = [];
    const output = new StageOutput([1, 2, 3, 4], (line) => written.push(line));
    output.line(0, 'preamble');
    output.line(1, '1a');
    output.line(3, '3a (a world of its own)');
    output.line(2, '2a (held: stage 1 plays)');
    expect(written).toEqual(['preamble', '1a']);
    output.line(3, '3b');
    output.done(3);
    output.line(1, '1b');
    expect(written).toEqual(['preamble', '1a', '1b']);
    output.done(1);
    expect(written).toEqual(['preamble', '1a', '1b', '2a (held: stage 1 plays)']);
    output.line(2, '2b');
    output.done(2);
    // Stage 3 finished earlier: its lines come out as soon as stage 2 is done; stage 4 is live then.
    expect(written.slice(4)).toEqual(['2b', '3a (a world of its own)', '3b']);
    output.line(4, '4a');
    expect(written.at(-1)).toBe('4a');
  });

  it('flushes, in stage order, what a world that ended early still holds', () => {
    const written: string[] = [];
    const output = new StageOutput([1, 2, 3], (line) => written.push(line));
    output.line(3, 'three');
    output.line(2, 'two');
    output.flush();
    expect(written).toEqual(['two', 'three']);
  });
});

const run = (id: number): RunRecord => ({ id, workflowFile: 'deploy-on-merge.yml', workflowName: 'Deploy on merge', event: 'push', ref: 'refs/heads/development', sha: 'a'.repeat(40), actor: 'alice', status: 'completed', conclusion: 'success', jobs: [], notes: [], startedAtMs: 0, durationMs: 0 });

describe('one timeline from several worlds', () => {
  it('takes in another world’s stage: expectations in stage order, runs, timings, and says in report.md where it was played', () => {
    const silent = () => undefined;
    const story = new Timeline(false, silent);
    story.stage(1, 'first');
    story.runStarted(run(1));
    story.expect('one holds', [], 'seen');
    story.stage(3, 'third');
    story.expect('three holds', [], 'seen');
    story.stageMs.set(1, 1000).set(3, 3000);
    const apart = new Timeline(false, silent, 2);
    apart.stage(2, 'second');
    apart.runStarted(run(1));
    apart.expect('two breaks', ['it did not'], 'seen');
    apart.stageMs.set(2, 2000);
    apart.playedAlone.add(2);

    story.absorb(apart);
    expect(story.expectations.map((e) => e.stage)).toEqual([1, 2, 3]);
    expect(story.failureLines()).toEqual(['Stage 2 (second): expected "two breaks", but it did not']);
    expect(story.runs).toHaveLength(2);
    expect([...story.stageRuns.keys()].sort()).toEqual([1, 2]);
    const report = story.markdown();
    expect(report.indexOf('## Stage 1: first')).toBeLessThan(report.indexOf('## Stage 2: second'));
    expect(report.indexOf('## Stage 2: second')).toBeLessThan(report.indexOf('## Stage 3: third'));
    expect(report).toContain('Played in 2.0s, in a world of its own');
    expect(report).toMatch(/## Stage 3: third\n\nPlayed in 3\.0s\.\n/);
  });
});
