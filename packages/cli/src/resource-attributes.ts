/** The result of parsing an OTEL_RESOURCE_ATTRIBUTES-style list. */
export interface ParsedResourceAttributes {
  attributes: Record<string, string>;
  /** One line per entry that was skipped, saying why. */
  problems: string[];
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function shown(entry: string): string {
  return JSON.stringify(entry.length > 60 ? `${entry.slice(0, 57)}...` : entry);
}

/**
 * Parses `key1=value1,key2=value2` with percent-encoded keys and values, as the OTel spec defines
 * OTEL_RESOURCE_ATTRIBUTES. A bad entry is reported and skipped, never fatal: a typo in one
 * attribute must not stop the agent from exporting the others. Later duplicates win.
 */
export function parseResourceAttributes(text: string): ParsedResourceAttributes {
  const attributes: Record<string, string> = {};
  const problems: string[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    if (eq === -1) {
      problems.push(`resource attribute ${shown(entry)} has no "=": expected key=value`);
      continue;
    }
    const key = decode(entry.slice(0, eq).trim());
    const value = decode(entry.slice(eq + 1).trim());
    if (key === undefined || value === undefined) {
      problems.push(`resource attribute ${shown(entry)} has invalid percent-encoding (write a literal % as %25)`);
      continue;
    }
    if (key === '') {
      problems.push(`resource attribute ${shown(entry)} has an empty key`);
      continue;
    }
    if (value === '') {
      problems.push(`resource attribute ${shown(entry)} has an empty value`);
      continue;
    }
    attributes[key] = value;
  }
  return { attributes, problems };
}
