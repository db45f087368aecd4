/**
 * JSON text for scenario/design files: indented objects, but arrays of numbers (the [re, im]
 * pairs, positions) kept on one line, so large channel arrays stay readable and compact.
 */
export function formatJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  // Collapse innermost arrays (no nested brackets or braces) onto one line.
  return text.replace(/\[\s*([^[\]{}]*?)\s*\]/g, (_, inner: string) => `[${inner.replace(/\s*\n\s*/g, ' ')}]`) + '\n';
}
