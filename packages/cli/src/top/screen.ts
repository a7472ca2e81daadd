import { renderDetail } from './detail.js';
import { renderHelp } from './help.js';
import { formatDuration, rowId, sectionInterval, visibleInterfaces, visibleRowIds, type Section } from './section.js';
import type { TopState } from './state.js';
import { headerLine, layoutColumns, nameWidthFor, rowLine } from './table.js';
import { fit, spread } from './text.js';
import { isoTime } from '../format/utc-time.js';

export interface ScreenInput {
  sections: readonly Section[];
  state: TopState;
  width: number;
  height: number;
  /** Sampling or polling interval: sparklines cover `sparkSeconds` of it. */
  intervalMs: number;
  /** Wall-clock time to show, already formatted (keeps the renderer free of time zones). */
  clock: string;
  /** Now, to tell a sample that stopped coming (sampling failing, agent stuck); none in tests that do not care. */
  nowMs?: number;
  sparkSeconds?: number;
}

export type LineKind = 'title' | 'header' | 'section' | 'row' | 'selected' | 'error' | 'text' | 'status';

export interface Screen {
  /** Exactly `height` lines of exactly `width` cells. */
  lines: string[];
  /** Same length as lines: lets the terminal layer add colour without touching layout. */
  kinds: LineKind[];
}

interface BodyLine {
  text: string;
  kind: LineKind;
}

/** "no new sample for 12s" when the newest sample is older than three intervals (and 3 s). */
export function staleness(s: Section, intervalMs: number, nowMs: number | undefined): string | undefined {
  if (nowMs === undefined || s.snapshot === undefined) return undefined;
  const age = nowMs - s.snapshot.timeUnixMs;
  const limit = Math.max(3000, 3 * sectionInterval(s, intervalMs));
  return age > limit ? `⚠ no new sample for ${formatDuration(Math.round(age / 1000) * 1000)}` : undefined;
}

function sectionBar(s: Section, width: number, count: number, stale: string | undefined): string {
  const host = s.snapshot?.host;
  const what = s.error !== undefined ? '✗ no answer' : `${count} interface${count === 1 ? '' : 's'}${stale ? ` · ${stale}` : ''}`;
  const label = host !== undefined && s.remote ? `${host} · ${s.label}` : s.label;
  return fit(`── ${label} · ${what} `.padEnd(width, '─'), width);
}

function listBody(input: ScreenInput): { pinned: BodyLine[]; body: BodyLine[] } {
  const { sections, state, width, intervalMs } = input;
  const shown = sections.map((s) => visibleInterfaces(s, state.sort, state.filter));
  const cols = layoutColumns(width, nameWidthFor(shown.flat().map((i) => i.name)));
  const header: BodyLine = { text: headerLine(cols, state.sort, width), kind: 'header' };
  const bars = sections.length > 1 || sections.some((s) => s.remote);
  const body: BodyLine[] = [];
  sections.forEach((s, idx) => {
    const list = shown[idx] ?? [];
    if (bars) {
      if (idx > 0) body.push({ text: ' '.repeat(width), kind: 'text' });
      body.push({ text: sectionBar(s, width, list.length, staleness(s, intervalMs, input.nowMs)), kind: 'section' });
    }
    if (s.error !== undefined) {
      const age = s.snapshot ? `; last answer at ${isoTime(s.snapshot.timeUnixMs).slice(11, 19)}Z` : '';
      body.push({ text: fit(`  ✗ ${s.error} — retrying every ${formatDuration(intervalMs)}${age}`, width), kind: 'error' });
      return;
    }
    if (s.snapshot === undefined) {
      body.push({ text: fit('  waiting for the first sample…', width), kind: 'text' });
      return;
    }
    if (bars) body.push(header);
    // A remote agent may sample slower than we poll: a minute is counted in its samples.
    const sparkN = Math.max(1, Math.ceil(((input.sparkSeconds ?? 60) * 1000) / sectionInterval(s, intervalMs)));
    for (const iface of list) {
      const row = {
        iface,
        rxSpark: s.history.last(iface.name, 'rxBytes', sparkN),
        txSpark: s.history.last(iface.name, 'txBytes', sparkN),
      };
      const selected = state.selected === rowId(s, iface.name);
      body.push({ text: rowLine(cols, row, state.bits, width), kind: selected ? 'selected' : 'row' });
    }
    if (list.length === 0) body.push({ text: fit(state.filter ? `  no interface matches "${state.filter}"` : '  no interfaces', width), kind: 'text' });
  });
  return { pinned: bars ? [] : [header], body };
}

function statusLine(input: ScreenInput): string {
  const { state, width, sections } = input;
  if (state.draft !== null) return fit(`/${state.draft}█   enter apply · esc cancel`, width);
  const shown = visibleRowIds(sections, state.sort, state.filter).length;
  const total = sections.reduce((n, s) => n + (s.error === undefined ? (s.snapshot?.interfaces.length ?? 0) : 0), 0);
  const keys = state.mode === 'detail' ? 'enter/esc back  b bits  ? help  q quit' : '? help  q quit  ↑↓ move  enter detail  s sort  / filter  b bits';
  // The way out comes first, so a narrow terminal cuts the least needed part.
  const local = sections.length === 1 && !sections[0]?.remote && sections[0] ? staleness(sections[0], input.intervalMs, input.nowMs) : undefined;
  if (local) return fit(`${local} (see the log after quitting) · ${keys}`, width);
  if (state.filter) return fit(`filter "${state.filter}": ${shown} of ${total} · esc clears · ${keys}`, width);
  return fit(`${keys} · ${total} interface${total === 1 ? '' : 's'}`, width);
}

function titleLine(input: ScreenInput): string {
  const { sections, state, width, intervalMs, clock } = input;
  const local = sections.length === 1 && !sections[0]?.remote ? sections[0]?.snapshot?.host : undefined;
  const left = `otel-netif top${local ? ` · ${local}` : sections.length > 1 ? ` · ${sections.length} hosts` : ''} · every ${formatDuration(intervalMs)}`;
  const right = `sort: ${state.sort} · ${state.bits ? 'bits/s' : 'bytes/s'} · ${clock}`;
  return spread(left, right, width);
}

/** Keeps the selected line on screen, scrolling as little as possible. */
function scroll(body: BodyLine[], rows: number): BodyLine[] {
  if (body.length <= rows) return body;
  const sel = body.findIndex((l) => l.kind === 'selected');
  const offset = sel < 0 ? 0 : Math.max(0, Math.min(sel - Math.floor(rows / 2), body.length - rows));
  return body.slice(offset, offset + rows);
}

/**
 * The whole frame as plain text: title, the list (or detail or help), status. Pure, so every
 * layout rule is tested with exact strings; the terminal layer only adds escape codes.
 */
export function renderScreen(input: ScreenInput): Screen {
  const { width, height, state } = input;
  const top: BodyLine = { text: titleLine(input), kind: 'title' };
  const bottom: BodyLine = { text: statusLine(input), kind: 'status' };
  const rows = Math.max(0, height - 2);
  let middle: BodyLine[];
  if (state.mode === 'help') {
    middle = renderHelp(width).map((text) => ({ text, kind: 'text' as const }));
  } else if (state.mode === 'detail') {
    middle = renderDetail(input, rows);
  } else {
    const { pinned, body } = listBody(input);
    middle = [...pinned, ...scroll(body, rows - pinned.length)];
  }
  const lines = [top, ...middle.slice(0, rows)];
  while (lines.length < height - 1) lines.push({ text: ' '.repeat(width), kind: 'text' });
  if (height >= 2) lines.push(bottom);
  const out = lines.slice(0, height);
  return { lines: out.map((l) => l.text), kinds: out.map((l) => l.kind) };
}
