/** The tools worker: file checks, the CRLB map and infeasibility explanations, off the page's thread. */
import { parseScenarioText } from '../app/actions.ts';
import { crlbGrid } from './heatmap.ts';
import { certificates } from './certificate.ts';
import { diagnose } from './diagnose.ts';
import type { ToolReply, ToolRequest } from './protocol.ts';

const post = (m: ToolReply, transfer: Transferable[] = []) =>
  (self as unknown as { postMessage(m: ToolReply, t: Transferable[]): void }).postMessage(m, transfer);

self.onmessage = (e: MessageEvent<ToolRequest>) => {
  const req = e.data;
  try {
    switch (req.kind) {
      case 'import':
        post({ id: req.id, type: 'done', value: parseScenarioText(req.payload.text, req.payload.name) });
        break;
      case 'heatmap': {
        const value = crlbGrid(req.payload.scenario, req.payload.design, req.payload.view, req.payload.n);
        post({ id: req.id, type: 'done', value }, [value.crlb.buffer]);
        break;
      }
      case 'certify':
        post({
          id: req.id,
          type: 'done',
          value: certificates(req.payload.scenario, (message) => post({ id: req.id, type: 'progress', message }), req.payload.fixed),
        });
        break;
      case 'diagnose':
        post({ id: req.id, type: 'done', value: diagnose(req.payload.scenario, (message) => post({ id: req.id, type: 'progress', message })) });
        break;
    }
  } catch (err) {
    post({ id: req.id, type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
