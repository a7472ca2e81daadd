import { OPTIONS } from './options.js';
import type { AnyOptionSpec } from './spec.js';

export const BEGIN_MARKER = '<!-- BEGIN GENERATED: options table (npm run docs) -->';
export const END_MARKER = '<!-- END GENERATED: options table -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  return `\`${text}\``;
}

function row(o: AnyOptionSpec): string {
  const flag = `${o.short ? `${code(`-${o.short}`)}, ` : ''}${code(`--${o.key}${o.valueName ? ` ${o.valueName}` : ''}`)}`;
  const env = o.env.map((e) => `${code(e.name)}${e.note ? ` (${e.note})` : ''}`).join('<br>') || '—';
  const yaml = o.yaml ? code(o.key) : '—';
  const commands = o.commands.length === 1 ? ` (${o.commands[0]} only)` : '';
  return `| ${[code(o.key), flag, env, yaml, cell(o.defaultText), cell(o.description + commands)].join(' | ')} |`;
}

/** The options table exactly as docs/configuration.md carries it between the markers. */
export function renderOptionsTable(): string {
  return [
    '| Option | Flag | Environment (highest priority first) | YAML key | Default | Description |',
    '| --- | --- | --- | --- | --- | --- |',
    ...OPTIONS.map(row),
  ].join('\n');
}

/**
 * `text` with the generated region replaced; the prose around it is hand-written and kept.
 * @throws when the markers are missing, so a damaged file is not silently rewritten.
 */
export function updateConfigDocs(text: string): string {
  const begin = text.indexOf(BEGIN_MARKER);
  const end = text.indexOf(END_MARKER);
  if (begin < 0 || end < begin) throw new Error(`the markers ${BEGIN_MARKER} … ${END_MARKER} are missing`);
  return `${text.slice(0, begin + BEGIN_MARKER.length)}\n${renderOptionsTable()}\n${text.slice(end)}`;
}
