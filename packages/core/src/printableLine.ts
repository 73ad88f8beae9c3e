// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * One line of text someone else controls (an agent's file name, a flash
 * message, a permission) with every control character — newlines, tabs, ESC
 * — and the line and paragraph separators shown as `\u{…}`: it can neither
 * start a forged line nor drive a terminal. Used by the admin UI and the run
 * log's system notes alike.
 */
export function printableLine(text: string): string {
	return text.replace(CONTROL_OR_BREAK, (ch) => `\\u{${ch.charCodeAt(0).toString(16)}}`);
}
