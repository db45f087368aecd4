import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration } from '../../src/study/progress.ts';

function sink(isTTY = false): { stream: NodeJS.WriteStream; text: () => string } {
  let buf = '';
  const stream = {
    write: (s: string) => ((buf += s), true),
    isTTY,
    columns: 200,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => buf };
}

describe('progress display', () => {
  it('prints plain lines with overall counts when not on a terminal', () => {
    const s = sink();
    const p = createProgress({ total: 3, already: 7, stream: s.stream, interval: 0, label: 'st' });
    p.tick(false);
    p.tick(true);
    p.tick(false);
    p.stop();
    const lines = s.text().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^st: 8\/10 tasks \(80\.0%\), [\d.]+\/s, ETA \S+, no design: 0/);
    expect(lines[2]).toMatch(/^st: 10\/10 tasks \(100\.0%\).*no design: 1/);
  });

  it('draws a bar on a terminal', () => {
    const s = sink(true);
    const p = createProgress({ total: 2, already: 0, stream: s.stream, label: 'st' });
    p.tick(false);
    p.tick(false);
    p.stop();
    expect(s.text()).toMatch(/2\/2 tasks \| [\d.]+\/s \| ETA/);
  });

  it('formats durations', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3h02m');
    expect(formatDuration(NaN)).toBe('?');
  });
});
