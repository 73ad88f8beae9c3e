import { printableLine } from './format.js';

// Tool names, titles, descriptions and schemas are text an agent wrote to be
// read by a model and a person; they may try to deceive either. JSX escapes
// markup; these helpers also show control characters and the invisible
// format characters — direction overrides, which can make text read
// differently from what it is ("Trojan Source"), and zero-width characters —
// as `\u{…}` (core's printableLine, the CLI's rule too), and bound every
// string the page shows.

/** Cuts `text` to `max` characters (a cut one ends in `…`), never inside a surrogate pair. */
export function cut(text: string, max: number): string {
	if (text.length <= max) return text;
	let end = Math.max(max - 1, 0);
	const last = text.charCodeAt(end - 1);
	if (last >= 0xd800 && last <= 0xdbff) end -= 1;
	return `${text.slice(0, end)}…`;
}

/**
 * One line of agent-written text, safe to show: control characters (line
 * breaks included), direction overrides and other invisible format
 * characters as `\u{…}`, cut to `max` characters before escaping, so an
 * escape is never cut in half.
 */
export function agentLine(text: string, max: number): string {
	return printableLine(cut(text, max));
}
