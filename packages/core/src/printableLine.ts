// Control characters (C0, DEL, C1), the line and paragraph separators, and
// every Unicode format character (category Cf): the direction controls
// (U+061C, U+200E/U+200F, U+202A–U+202E, U+2066–U+2069) that make text read
// differently from what it is ("Trojan Source"), the zero-width characters
// (U+200B–U+200D, U+2060, U+FEFF) that hide inside a name, and the tag
// characters (U+E0000–U+E007F) that carry invisible ASCII. The `u` flag makes
// the astral ones whole code points, not halves of surrogate pairs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL_BREAK_OR_FORMAT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu;

/**
 * One line of text someone else controls (an agent's file name, a tool's
 * description, a flash message, a permission) with every control character
 * — newlines, tabs, ESC — the line and paragraph separators, and every
 * invisible format character (the text-direction overrides and isolates,
 * zero-width characters, tag characters) shown as `\u{…}`: it can neither
 * start a forged line, nor drive a terminal, nor read differently from what
 * it is. The price: an emoji joined with U+200D shows its joiners. Used by
 * the CLI, the admin UI and the run log's system notes alike.
 */
export function printableLine(text: string): string {
	return text.replace(
		CONTROL_BREAK_OR_FORMAT,
		(ch) => `\\u{${(ch.codePointAt(0) as number).toString(16)}}`,
	);
}
