import { customAlphabet, nanoid } from 'nanoid';
import { ValidationError } from './errors.js';

const PREFIX_PATTERN = /^[a-z][a-z0-9]{0,15}$/;

// Fleet identifiers are read aloud and typed by people: lowercase letters and
// digits only, so they never need quoting in a shell or a URL.
const fleetSuffix = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

/** A new URL-safe unique id, `<prefix>_<21 nanoid chars>` (e.g. `evt_V1StGXR8_Z5jdHi6B-myT`). */
export function generateId(prefix: string): string {
	if (!PREFIX_PATTERN.test(prefix)) {
		throw new ValidationError(`invalid id prefix "${prefix}"`, {
			hint: 'use 1-16 lowercase letters or digits, starting with a letter (e.g. "evt")',
		});
	}
	return `${prefix}_${nanoid()}`;
}

/** A new pilot callsign, `callsign-<12 lowercase alphanumerics>`. */
export function generateCallsign(): string {
	return `callsign-${fleetSuffix()}`;
}

/** A new sortie id, `sortie-<12 lowercase alphanumerics>`. */
export function generateSortieId(): string {
	return `sortie-${fleetSuffix()}`;
}

/** A new mission id, `mission-<12 lowercase alphanumerics>`. */
export function generateMissionId(): string {
	return `mission-${fleetSuffix()}`;
}
