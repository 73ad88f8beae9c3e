import {
	canonicalJson,
	type FieldIssue,
	issuesFromZod,
	sha256Hex,
	type ValidationResult,
} from '@agentspace/core';
import { type Manifest, ManifestSchema } from './schema.js';

/** A manifest file is refused above this size, before it is parsed. */
export const MAX_MANIFEST_BYTES = 256 * 1024;

/** The file name AgentSpace looks for. */
export const MANIFEST_FILE = 'agentspace.agent.json';

/** A parsed manifest and the hashes approvals are bound to. */
export interface ParsedManifest {
	readonly manifest: Manifest;
	/** SHA-256 of the manifest's canonical JSON: formatting changes are not changes. */
	readonly manifestHash: string;
	/** SHA-256 of the sorted, de-duplicated requested permissions. */
	readonly permissionsHash: string;
}

/**
 * Parses and validates a manifest's bytes: the size limit first, then JSON,
 * then every field (each error names its field, all of them at once).
 */
export function parseManifest(bytes: string | Uint8Array): ValidationResult<ParsedManifest> {
	const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
	if (size > MAX_MANIFEST_BYTES) {
		return issue(
			'(root)',
			`the manifest is ${size} bytes; the limit is ${MAX_MANIFEST_BYTES} (256 KB)`,
		);
	}
	let json: unknown;
	try {
		json = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
	} catch (error) {
		return issue('(root)', `not valid JSON: ${(error as Error).message}`);
	}
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		return issue('(root)', 'the manifest must be a JSON object');
	}
	const parsed = ManifestSchema.safeParse(json);
	if (!parsed.success) return { ok: false, errors: issuesFromZod(parsed.error) };
	const manifest = parsed.data;
	return {
		ok: true,
		value: {
			manifest,
			manifestHash: sha256Hex(canonicalJson(manifest)),
			permissionsHash: permissionsHash(manifest.permissions),
		},
	};
}

/** SHA-256 of a permission list, independent of order and repeats. */
export function permissionsHash(permissions: readonly string[]): string {
	return sha256Hex(JSON.stringify([...new Set(permissions)].sort()));
}

function issue(path: string, message: string): { ok: false; errors: FieldIssue[] } {
	return { ok: false, errors: [{ path, message }] };
}
