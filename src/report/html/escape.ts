/**
 * HTML escaping of text put into the report: the five characters that can end a text node or an
 * attribute value (& < > " '), as the HTML spec's serialisation escapes them.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
