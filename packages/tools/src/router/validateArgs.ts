import type { FieldIssue } from '@agentspace/core';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { linearRegExp } from './linearRegExp.js';

/**
 * The largest schema (JSON text) compiled. A tool's schema is text an agent
 * controls; Ajv compiles it to code synchronously, so its size is what bounds
 * the time and memory a compile takes (the registry keeps definitions up to
 * 64 KiB; a schema alone is never bigger).
 */
export const MAX_SCHEMA_BYTES = 64 * 1024;

/** The deepest nesting of objects and arrays in a schema compiled. */
export const MAX_SCHEMA_DEPTH = 64;

/** The most field issues reported for one value; more are summed up in one last issue. */
export const MAX_REPORTED_ISSUES = 100;

/** How many compiled schemas are kept (by definition hash); the least recently used go first. */
export const SCHEMA_CACHE_SIZE = 2048;

/** What {@link validateAgainstSchema} found. */
export type SchemaCheck =
	| { readonly ok: true }
	/** The value breaks the schema: every bad field, by JSON pointer ('' is the value itself). */
	| { readonly ok: false; readonly issues: readonly FieldIssue[]; readonly unusable?: undefined }
	/** The schema itself cannot be used (too big, invalid, an unresolvable `$ref`…): why. */
	| { readonly ok: false; readonly issues: readonly FieldIssue[]; readonly unusable: string };

type Compiled = { readonly validate: ValidateFunction } | { readonly unusable: string };

// Options shared by every draft. strict off: real servers' schemas carry
// keywords and formats of their own (Ajv would refuse them in strict mode);
// unknown formats are then ignored rather than fatal. No loadSchema: a `$ref`
// to a remote URL is never fetched — it fails the compile as unresolvable.
// Patterns are matched by a linear-time engine (see linearRegExp): an agent's
// pattern cannot stall the daemon's event loop by backtracking.
const OPTIONS = {
	allErrors: true,
	strict: false,
	logger: false,
	validateFormats: false,
	code: { regExp: linearRegExp },
} as const;

// One instance per draft, created on first use. Each compiled schema is
// removed from its instance right after compiling (the validate function
// keeps what it needs): two agents' schemas sharing an `$id` must not collide,
// and the instance's own cache must not grow with every definition seen.
let instances: { d2020?: Ajv2020; d2019?: Ajv2019; d07?: Ajv } = {};

function instanceFor(schema: Readonly<Record<string, unknown>>): Ajv | Ajv2019 | Ajv2020 | string {
	const declared = schema.$schema;
	// MCP says a schema without `$schema` is draft 2020-12.
	if (declared === undefined || (typeof declared === 'string' && /\/2020-12\//.test(declared))) {
		instances.d2020 ??= new Ajv2020(OPTIONS);
		return instances.d2020;
	}
	if (typeof declared === 'string' && /\/draft-07\/schema#?$/.test(declared)) {
		instances.d07 ??= new Ajv(OPTIONS);
		return instances.d07;
	}
	if (typeof declared === 'string' && /\/2019-09\//.test(declared)) {
		instances.d2019 ??= new Ajv2019(OPTIONS);
		return instances.d2019;
	}
	return `unsupported $schema ${JSON.stringify(String(declared).slice(0, 200))} (supported: draft 2020-12, 2019-09 and draft-07)`;
}

const cache = new Map<string, Compiled>();

function depthOf(value: unknown, limit: number): number {
	// Iterative, so a hostile nesting cannot overflow the stack measuring it.
	let deepest = 0;
	const stack: [unknown, number][] = [[value, 1]];
	while (stack.length > 0) {
		const [item, depth] = stack.pop() as [unknown, number];
		if (item === null || typeof item !== 'object') continue;
		if (depth > deepest) deepest = depth;
		if (deepest > limit) return deepest;
		for (const child of Object.values(item)) stack.push([child, depth + 1]);
	}
	return deepest;
}

function compile(schema: unknown): Compiled {
	if (schema === null || typeof schema !== 'object' || Array.isArray(schema))
		return { unusable: 'the schema is not a JSON object' };
	let text: string;
	try {
		text = JSON.stringify(schema);
	} catch {
		return { unusable: 'the schema is not plain JSON' };
	}
	const bytes = Buffer.byteLength(text);
	if (bytes > MAX_SCHEMA_BYTES)
		return { unusable: `the schema is ${bytes} bytes, over the ${MAX_SCHEMA_BYTES}-byte limit` };
	if (depthOf(schema, MAX_SCHEMA_DEPTH) > MAX_SCHEMA_DEPTH)
		return { unusable: `the schema nests deeper than ${MAX_SCHEMA_DEPTH} levels` };
	// A private copy: Ajv annotates nothing, but the caller's object must stay
	// theirs, and the copy is what is removed from the instance afterwards.
	const copy = JSON.parse(text) as Record<string, unknown>;
	const ajv = instanceFor(copy);
	if (typeof ajv === 'string') return { unusable: ajv };
	try {
		return { validate: ajv.compile(copy) };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return { unusable: `the schema does not compile: ${message.slice(0, 500)}` };
	} finally {
		try {
			ajv.removeSchema(copy);
		} catch {
			// Nothing was added: a compile that failed early.
		}
	}
}

function compiled(cacheKey: string, schema: unknown): Compiled {
	const hit = cache.get(cacheKey);
	if (hit !== undefined) {
		// Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
		cache.delete(cacheKey);
		cache.set(cacheKey, hit);
		return hit;
	}
	const made = compile(schema);
	cache.set(cacheKey, made);
	if (cache.size > SCHEMA_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
	return made;
}

/** A JSON pointer segment: `~` and `/` escaped as RFC 6901 has it. */
function pointerSegment(key: string): string {
	return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function issueOf(error: ErrorObject): FieldIssue {
	// Ajv names the object for `required` and `additionalProperties`; the bad
	// field is the property it names, so that is the pointer reported.
	const params = error.params as Record<string, unknown>;
	const field =
		error.keyword === 'required'
			? params.missingProperty
			: error.keyword === 'additionalProperties'
				? params.additionalProperty
				: error.keyword === 'unevaluatedProperties'
					? params.unevaluatedProperty
					: undefined;
	const path =
		typeof field === 'string'
			? `${error.instancePath}/${pointerSegment(field)}`
			: error.instancePath;
	const message =
		error.keyword === 'required'
			? 'is required'
			: error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties'
				? 'is not allowed'
				: (error.message ?? `fails ${error.keyword}`);
	return { path, message };
}

function issuesOf(errors: readonly ErrorObject[]): FieldIssue[] {
	const issues: FieldIssue[] = [];
	const seen = new Set<string>();
	for (const error of errors) {
		const issue = issueOf(error);
		const key = `${issue.path}\u0000${issue.message}`;
		if (seen.has(key)) continue;
		seen.add(key);
		issues.push(issue);
	}
	if (issues.length <= MAX_REPORTED_ISSUES) return issues;
	const more = issues.length - MAX_REPORTED_ISSUES;
	return [
		...issues.slice(0, MAX_REPORTED_ISSUES),
		{ path: '', message: `and ${more} more problem${more === 1 ? '' : 's'}` },
	];
}

/**
 * Checks `value` against a tool's JSON Schema (draft 2020-12 unless its
 * `$schema` says draft-07 or 2019-09) and returns every bad field by JSON
 * pointer. Compiled schemas are cached under `cacheKey` — the tool's
 * definition hash plus which schema (input or output) — so a schema is
 * compiled once. A schema that cannot be used (over {@link MAX_SCHEMA_BYTES},
 * invalid, a `$ref` that does not resolve locally: nothing is ever fetched)
 * comes back as `unusable` with the reason, never as an exception.
 */
export function validateAgainstSchema(
	cacheKey: string,
	schema: unknown,
	value: unknown,
): SchemaCheck {
	const made = compiled(cacheKey, schema);
	if ('unusable' in made) return { ok: false, issues: [], unusable: made.unusable };
	let valid: boolean;
	try {
		valid = made.validate(value) as boolean;
	} catch (error) {
		// A compiled schema that throws on a value (a recursion too deep for the stack).
		const message = error instanceof Error ? error.message : String(error);
		return {
			ok: false,
			issues: [],
			unusable: `the schema cannot be checked: ${message.slice(0, 200)}`,
		};
	}
	if (valid) return { ok: true };
	return { ok: false, issues: issuesOf(made.validate.errors ?? []) };
}

/**
 * Checks a tool call's arguments against the tool's input schema (see
 * {@link validateAgainstSchema}); `definitionHash` keys the compiled schema.
 */
export function validateArgs(
	definitionHash: string,
	inputSchema: unknown,
	args: unknown,
): SchemaCheck {
	return validateAgainstSchema(`${definitionHash}:input`, inputSchema, args);
}

/** Forgets every compiled schema (tests, and a daemon reloading its registry). */
export function clearSchemaCache(): void {
	cache.clear();
	instances = {};
}
