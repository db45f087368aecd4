/**
 * Presets (the paper's Fig. 2, a random drop) and import/export of scenario and design files
 * in the JSON contract. Exported scenarios carry every channel explicitly, so
 * `netisac evaluate scenario.json design.json` sees exactly what the browser used.
 */
import { errorText, importDesignFile, loadFig2, loadRandom, loadScenario, setMessage } from '../app/actions.ts';
import { MAX_FILE_BYTES } from '../app/limits.ts';
import { SupersededError, ToolClient } from '../tools/client.ts';
import { shareFragment } from '../app/persist.ts';
import { exportScenarioJson } from '../app/draft.ts';
import type { AppState } from '../app/state.ts';
import type { Store } from '../app/store.ts';
import { h } from './dom.ts';
import { numberField, selectField } from './fields.ts';

function download(name: string, json: unknown): void {
  const blob = new Blob([`${JSON.stringify(json, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function slug(name: string | undefined): string {
  return (name ?? 'scenario').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
}

const megabytes = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/**
 * A button that opens a hidden file input and hands the chosen file's text over; files above
 * the planner's size limit are refused before they are read.
 */
function fileButton(id: string, label: string, onText: (text: string, name: string) => void, onError: (msg: string) => void): HTMLElement {
  const input = h('input', { type: 'file', id, accept: '.json,application/json', class: 'visually-hidden', tabindex: -1 });
  const button = h('button', { type: 'button', 'aria-controls': id }, label);
  button.addEventListener('click', () => input.click());
  input.addEventListener('change', async () => {
    const f = input.files?.[0];
    input.value = '';
    if (!f) return;
    if (f.size > MAX_FILE_BYTES) {
      onError(
        `${f.name}: the file is too large (${megabytes(f.size)}; the planner reads files up to ${megabytes(MAX_FILE_BYTES)}). Use the CLI for large networks.`,
      );
      return;
    }
    onText(await f.text(), f.name);
  });
  return h('span', {}, button, input);
}

export function ioPanel(store: Store<AppState>): { el: HTMLElement; sync(s: AppState): void } {
  const fig2 = h('button', { type: 'button', id: 'preset-fig2' }, 'Paper Fig. 2');
  fig2.addEventListener('click', () => loadFig2(store));
  const random = h('button', { type: 'button', id: 'preset-random' }, 'Random drop');
  random.addEventListener('click', () => loadRandom(store));
  const users = numberField({
    id: 'random-users',
    label: 'Users in a random drop',
    integer: true,
    min: 0,
    max: 20,
    get: (s) => s.randomUsers,
    set: (v) => store.update({ randomUsers: v! }),
  });
  const layout = selectField<AppState['randomLayout']>({
    id: 'random-layout',
    label: 'BS layout',
    options: [
      { value: 'paper', label: "paper's 4 BSs" },
      { value: 'hexagon', label: 'hexagon (7 BSs, 100 m)' },
    ],
    get: (s) => s.randomLayout,
    set: (v) => store.update({ randomLayout: v }),
  });
  const randomError = h('div', { class: 'field-error', id: 'random-error', role: 'alert' });

  // Scenario files are parsed and checked in a worker: a big file never freezes the page.
  const checker = new ToolClient();
  const importScenario = fileButton(
    'import-scenario',
    'Import scenario…',
    (text, name) => {
      store.update((s) => ({ importing: name, messages: { ...s.messages, import: undefined } }));
      checker.run('import', { text, name }).then(
        (loaded) => loadScenario(store, loaded, 'import'),
        (err) => {
          if (err instanceof SupersededError) return;
          store.update({ importing: null });
          setMessage(store, 'import', errorText(err));
        },
      );
    },
    (msg) => setMessage(store, 'import', msg),
  );
  const importDesign = fileButton(
    'import-design',
    'Import design…',
    (text, name) => importDesignFile(store, text, name),
    (msg) => setMessage(store, 'design', msg),
  );
  const importing = h('p', { class: 'hint', id: 'import-status', role: 'status' });
  const exportScenario = h('button', { type: 'button', id: 'export-scenario' }, 'Export scenario');
  const exportDesign = h('button', { type: 'button', id: 'export-design' }, 'Export design');
  const importError = h('div', { class: 'field-error', id: 'import-error', role: 'alert' });
  const designError = h('div', { class: 'field-error', id: 'design-error', role: 'alert' });
  const note = h('p', { class: 'note', id: 'channel-note', 'aria-live': 'polite' });
  const scenarioError = h('div', { class: 'field-error', id: 'scenario-error', role: 'alert' });

  exportScenario.addEventListener('click', () => {
    const s = store.state;
    try {
      download(`${slug(s.draft.name)}.scenario.json`, exportScenarioJson(s.draft, s.explicit));
    } catch (err) {
      scenarioError.textContent = `Cannot export: ${err instanceof Error ? err.message : String(err)}`;
    }
  });
  exportDesign.addEventListener('click', () => {
    const r = store.state.result;
    if (r) download(`${slug(store.state.draft.name)}.${String(r.design.method ?? 'design')}.design.json`, r.design);
  });

  const share = h('button', { type: 'button', id: 'share' }, 'Link to this scenario');
  const shareUrl = h('input', { type: 'text', id: 'share-url', readonly: true, 'aria-label': 'Link to this scenario', class: 'share-url', hidden: true });
  const shareMsg = h('p', { class: 'hint', id: 'share-message', role: 'status' });
  share.addEventListener('click', async () => {
    try {
      const fragment = await shareFragment(store.state);
      const url = `${location.href.split('#')[0]}#${fragment}`;
      history.replaceState(null, '', `#${fragment}`);
      shareUrl.value = url;
      shareUrl.hidden = false;
      shareUrl.select();
      let copied = false;
      try {
        await navigator.clipboard.writeText(url);
        copied = true;
      } catch {
        /* no clipboard permission: the selected field is there to copy by hand */
      }
      setMessage(
        store,
        'share',
        `${copied ? 'Copied: ' : ''}the link carries the scenario (${fragment.length} characters); channels are redrawn from the seed on the other side.`,
      );
    } catch (err) {
      setMessage(store, 'share', `Cannot share: ${errorText(err)}`);
    }
  });

  const el = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'scn-h' },
    h('h2', { id: 'scn-h' }, 'Scenario'),
    h('div', { class: 'buttons' }, fig2, random),
    h('div', { class: 'row' }, users.el, layout.el),
    h('p', { class: 'hint' }, 'A random drop places users and the target uniformly in the service area, with the seed and parameters below.'),
    randomError,
    h('div', { class: 'buttons' }, importScenario, exportScenario),
    importing,
    importError,
    h('div', { class: 'buttons' }, importDesign, exportDesign),
    designError,
    note,
    scenarioError,
    h('div', { class: 'buttons' }, share),
    shareUrl,
    shareMsg,
  );
  return {
    el,
    sync(s) {
      users.sync(s);
      layout.sync(s);
      importError.textContent = s.messages.import ?? '';
      shareMsg.textContent = s.messages.share ?? '';
      importing.textContent = s.importing ? `Reading and checking ${s.importing}…` : '';
      const blocked = Object.values(s.fieldErrors);
      exportScenario.disabled = blocked.length > 0;
      exportScenario.title = blocked.length > 0 ? `Fix first: ${blocked.join('; ')}` : '';
      designError.textContent = s.messages.design ?? '';
      randomError.textContent = s.messages.random ?? '';
      note.textContent = s.channelNote ?? (s.explicit ? '' : 'Channels: drawn from the channel model with the seed below.');
      exportDesign.disabled = s.result === null;
      exportDesign.title = s.result ? '' : 'Solve or import a design first';
    },
  };
}
