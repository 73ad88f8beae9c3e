/** Stores an array or object column; null and undefined stay NULL. */
export function jsonColumn(value: unknown): string | null {
	return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * Times inside payloads may carry any offset; stored as UTC with milliseconds
 * so that comparing them as text compares instants.
 */
export function utc(time: string): string {
	return new Date(time).toISOString();
}
