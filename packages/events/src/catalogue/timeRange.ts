// Kept free of Zod: the read path (queries) needs it without loading the catalogue.
const FIRST = Date.parse('0000-01-01T00:00:00.000Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');

/** True when an instant's UTC ISO form keeps a four-digit year, so stored times compare as text. */
export function isStorableInstant(ms: number): boolean {
	return ms >= FIRST && ms <= LAST;
}
