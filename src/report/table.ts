/**
 * Table writers (Markdown, CSV, HTML) and Table II of the paper: the total power for each
 * choice of receiving BS (each with its best association), marking the proposed scheme's
 * choice, Scheme 1's choice and the global optimum.
 */
import { wattToDbm } from './stats.ts';

export type Cell = string | number | boolean | null | undefined;

/** Formats a number for a human table: `digits` significant digits, '—' for none. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

/** Fixed decimals, '—' for none. */
export function fix(v: number | null | undefined, decimals = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(decimals);
}

function csvCell(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c) : '';
  const s = String(c);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV (header + rows), empty cells for null/NaN. */
export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** CSV of objects: the columns are `columns` (default: the first object's keys). */
export function objectsToCsv<T extends object>(rows: T[], columns?: (keyof T & string)[]): string {
  const cols = columns ?? ((rows[0] ? Object.keys(rows[0]) : []) as (keyof T & string)[]);
  return toCsv(
    cols,
    rows.map((r) =>
      cols.map((c) => {
        const v = (r as Record<string, unknown>)[c];
        return Array.isArray(v) ? v.join(' ') : (v as Cell);
      }),
    ),
  );
}

function mdCell(c: Cell): string {
  if (c === null || c === undefined) return '';
  return String(c).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A Markdown table. */
export function toMarkdown(header: string[], rows: Cell[][], align?: ('l' | 'r' | 'c')[]): string {
  const sep = header.map((_, i) => {
    const a = align?.[i] ?? 'l';
    return a === 'r' ? '---:' : a === 'c' ? ':---:' : '---';
  });
  return [header, sep, ...rows.map((r) => r.map(mdCell))].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n';
}

/** Escapes &, <, >, " and ' for HTML text and attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An HTML table (cells escaped). */
export function toHtmlTable(header: string[], rows: Cell[][], align?: ('l' | 'r' | 'c')[]): string {
  const style = (i: number): string => {
    const a = align?.[i] ?? 'l';
    return a === 'r' ? ' style="text-align:right"' : a === 'c' ? ' style="text-align:center"' : '';
  };
  const head = `<tr>${header.map((h, i) => `<th${style(i)}>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${style(i)}>${escapeHtml(c === null || c === undefined ? '' : String(c))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

// ---------------------------------------------------------------------------------------
// Table II

/** The best design found with a given receiving BS. */
export interface ReceiverResult {
  /** Receiving BS, 0-based. */
  receiver: number;
  status: string;
  /** W; null when no feasible design exists with this receiver. */
  totalPower: number | null;
  /** Serving BS of each user, 0-based. */
  association: number[] | null;
}

/** A method's overall choice, to mark in the table. */
export interface MethodChoice {
  receiver?: number | null;
  totalPower?: number | null;
  association?: number[] | null;
}

export interface Table2Input {
  rows: ReceiverResult[];
  proposed?: MethodChoice | undefined;
  /** Algorithm 1 from the relaxation start ("Alg. 1 + relaxation start"). */
  proposedRelaxation?: MethodChoice | undefined;
  scheme1?: MethodChoice | undefined;
  /** Relative tolerance for "equal to the optimum" (default 1e-6). */
  tolerance?: number | undefined;
}

export interface Table2Row {
  receiver: number;
  bs: string;
  status: string;
  totalPowerW: number | null;
  totalPowerDbm: number | null;
  association: string;
  proposed: boolean;
  proposedRelaxation: boolean;
  scheme1: boolean;
  optimum: boolean;
}

export interface Table2 {
  rows: Table2Row[];
  markdown: string;
  csv: string;
  html: string;
  /** One line per marked method, e.g. "Proposed: BS2, 0.1435 W (optimum)". */
  notes: string[];
}

/** An association as "CU1→BS2, CU2→BS1, …" (1-based, as in the paper); "—" when there is none. */
export function formatAssociation(association: number[] | null | undefined): string {
  if (!association) return '—';
  return association.map((s, k) => `CU${k + 1}→BS${s + 1}`).join(', ');
}

/**
 * Table II: the best design per receiving BS, marking the global optimum and the proposed
 * scheme's and Scheme 1's choices.
 */
export function table2(input: Table2Input): Table2 {
  const tol = input.tolerance ?? 1e-6;
  const sorted = [...input.rows].sort((a, b) => a.receiver - b.receiver);
  const feasible = sorted.filter((r) => r.totalPower !== null && Number.isFinite(r.totalPower) && r.totalPower > 0);
  const best = feasible.length ? Math.min(...feasible.map((r) => r.totalPower!)) : null;
  const rows: Table2Row[] = sorted.map((r) => {
    const p = r.totalPower !== null && Number.isFinite(r.totalPower) ? r.totalPower : null;
    return {
      receiver: r.receiver,
      bs: `BS${r.receiver + 1}`,
      status: r.status,
      totalPowerW: p,
      totalPowerDbm: p !== null && p > 0 ? wattToDbm(p) : null,
      association: formatAssociation(r.association),
      proposed: input.proposed?.receiver === r.receiver,
      proposedRelaxation: input.proposedRelaxation?.receiver === r.receiver,
      scheme1: input.scheme1?.receiver === r.receiver,
      optimum: best !== null && p !== null && p <= best * (1 + tol),
    };
  });
  const marks = (r: Table2Row): string =>
    [r.optimum ? 'global optimum' : '', r.proposed ? 'proposed' : '', r.proposedRelaxation ? 'Alg. 1 + relaxation start' : '', r.scheme1 ? 'Scheme 1' : '']
      .filter(Boolean)
      .join(', ');
  const header = ['Receiving BS', 'Total power (W)', 'Total power (dBm)', 'Best association', 'Choice'];
  const cells = rows.map((r) => [
    r.optimum ? `**${r.bs}**` : r.bs,
    r.totalPowerW === null ? `infeasible (${r.status})` : fmt(r.totalPowerW, 5),
    fix(r.totalPowerDbm, 2),
    r.association,
    marks(r),
  ]);
  const align: ('l' | 'r')[] = ['l', 'r', 'r', 'l', 'l'];
  const notes: string[] = [];
  const note = (name: string, c: MethodChoice | undefined): void => {
    if (!c) return;
    const p = c.totalPower ?? null;
    const opt = best !== null && p !== null && p <= best * (1 + tol);
    notes.push(
      `${name}: ${c.receiver === null || c.receiver === undefined ? 'no design' : `receiving BS${c.receiver + 1}`}` +
        (p !== null
          ? `, total power ${fmt(p, 5)} W (${fix(wattToDbm(p), 2)} dBm)${opt ? ', the global optimum' : best !== null ? `, ${fix((100 * (p - best)) / best, 2)}% above the optimum` : ''}`
          : ''),
    );
  };
  note('Proposed scheme (Alg. 1)', input.proposed);
  note('Alg. 1 + relaxation start', input.proposedRelaxation);
  note('Scheme 1', input.scheme1);
  return {
    rows,
    markdown: toMarkdown(header, cells, align),
    html: toHtmlTable(
      header,
      cells.map((c) => c.map((x) => String(x).replace(/\*\*/g, ''))),
      align,
    ),
    csv: objectsToCsv(rows, [
      'bs',
      'receiver',
      'status',
      'totalPowerW',
      'totalPowerDbm',
      'association',
      'proposed',
      'proposedRelaxation',
      'scheme1',
      'optimum',
    ]),
    notes,
  };
}
