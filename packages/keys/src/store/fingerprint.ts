import { sha256Hex } from '@agentspace/core';

/** A value's fingerprint: `sha256:` and the first 12 hex characters of its sha256 (enough to tell keys apart, too little to guess one). */
export function fingerprintOf(value: string): string {
	return `sha256:${sha256Hex(value).slice(0, 12)}`;
}
