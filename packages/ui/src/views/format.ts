/** `2026-12-05 22:01:02Z`: an ISO time, readable and still exact. */
export function formatTime(iso: string | null | undefined): string {
	if (iso === null || iso === undefined) return '-';
	return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** `3 min ago`, `2 h ago`: how long since `iso`. */
export function formatAgo(iso: string | null | undefined, now: number = Date.now()): string {
	if (iso === null || iso === undefined) return '-';
	const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
	if (seconds < 60) return `${seconds} s ago`;
	if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
	if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
	return `${Math.floor(seconds / 86_400)} d ago`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text with control characters (terminal escapes in an agent's output) shown as `\u{…}`; newlines and tabs kept. */
export function printableText(text: string): string {
	return text.replace(CONTROL, (ch) => `\\u{${ch.charCodeAt(0).toString(16)}}`);
}

/** One line of agent-controlled text with every control character shown as `\u{…}` (from @agentspace/core). */
export { printableLine } from '@agentspace/core';
