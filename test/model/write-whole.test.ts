/**
 * writeFileWhole (model/io.ts): an output file is replaced whole or left as it was. The
 * interrupted write is made real: a child process is killed in the middle of writing a large
 * file (seen growing on disk), and the file must then hold the old text or the new text,
 * nothing in between (a plain writeFileSync leaves the part it wrote: this test fails then).
 */
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileWhole } from '../../src/model/io.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'netisac-whole-'));

describe('writeFileWhole', () => {
  it('replaces a file and leaves no temporary file beside it', () => {
    const d = dir();
    const f = join(d, 'out.json');
    writeFileSync(f, 'old');
    writeFileWhole(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(d)).toEqual(['out.json']);
  });

  it('fails without writing anything where the folder is missing', () => {
    const d = dir();
    expect(() => writeFileWhole(join(d, 'missing', 'out.json'), 'x')).toThrow(/ENOENT/);
    expect(readdirSync(d)).toEqual([]);
  });

  it('keeps the old file when the new one cannot be put in its place', () => {
    const d = dir();
    const f = join(d, 'out');
    writeFileSync(join(d, 'x'), '');
    // a folder at the temporary file's path: the write fails before the rename
    mkdirSync(`${f}.tmp-${process.pid}`);
    writeFileSync(f, 'old');
    expect(() => writeFileWhole(f, 'new')).toThrow();
    expect(readFileSync(f, 'utf8')).toBe('old');
  });

  it('replaces the file a symbolic link points to, and the link stays', () => {
    const d = dir();
    writeFileSync(join(d, 'real.json'), 'old');
    symlinkSync('real.json', join(d, 'link.json'));
    writeFileWhole(join(d, 'link.json'), 'new');
    expect(lstatSync(join(d, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'real.json'), 'utf8')).toBe('new');
  });

  it('writes to a path that is not a regular file (a device) directly', () => {
    expect(() => writeFileWhole('/dev/null', 'anything')).not.toThrow();
  });

  it('a process killed while writing leaves the old text or the new, never a part', async () => {
    const d = dir();
    const f = join(d, 'big.txt');
    const old = 'old\n';
    const size = 128 * 2 ** 20;
    const io = join(process.cwd(), 'src/model/io.ts');
    const script = `import { writeFileWhole } from ${JSON.stringify(io)}; writeFileWhole(${JSON.stringify(f)}, 'n'.repeat(${size}));`;
    writeFileSync(f, old);
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    const exited = new Promise((res) => child.once('exit', res));
    // Kill it in the middle of the write: once some file in the folder (the target, or the
    // temporary file beside it) holds more than the old text and less than the new.
    let caught = false;
    for (const end = Date.now() + 20_000; !caught && Date.now() < end && child.exitCode === null; ) {
      for (const name of readdirSync(d)) {
        let n = 0;
        try {
          n = statSync(join(d, name)).size;
        } catch {
          continue; // renamed away between the listing and the look
        }
        if (n > old.length && n < size) caught = true;
      }
      if (!caught) await new Promise((res) => setImmediate(res));
    }
    child.kill('SIGKILL');
    await exited;
    expect(caught).toBe(true);
    const text = readFileSync(f, 'utf8');
    expect(text === old || text.length === size).toBe(true);
  }, 60_000);
});
