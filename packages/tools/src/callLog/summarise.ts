import { canonicalJson, isSecretVariable, REDACTED, redactText } from '@agentspace/core';
import { MAX_SUMMARY_BYTES } from './types.js';

// Text is built a little past the budget before redaction, so that a
// credential cut by the budget is still whole when redactText looks for it.
const REDACTION_MARGIN = 512;

/** Cuts `text` to at most `maxBytes` UTF-8 bytes at a character boundary, marking the cut with `…`. */
export function truncateUtf8(text: string, maxBytes: number): string {
	if (Buffer.byteLength(text) <= maxBytes) return text;
	const budget = maxBytes - 3; // the ellipsis is three bytes
	let bytes = 0;
	let end = 0;
	for (const char of text) {
		const size = Buffer.byteLength(char);
		if (bytes + size > budget) break;
		bytes += size;
		end += char.length;
	}
	return `${text.slice(0, end)}…`;
}

/**
 * JSON-like text of `value`, written only until `budget` characters: a 4 MB
 * argument costs no more to summarise than a small one. Values under
 * secret-looking keys (`token`, `apiKey`, `GITHUB_TOKEN`, `password`…) are
 * written as [REDACTED]; isSecretVariable is the wider of core's two tests,
 * and a false positive only hides a value from the summary.
 */
function boundedJson(value: unknown, budget: number): string {
	let out = '';
	const write = (text: string) => {
		out += text;
		return out.length < budget;
	};
	const walk = (item: unknown, depth: number): boolean => {
		if (item === null || typeof item !== 'object') {
			const text = item === undefined ? 'null' : JSON.stringify(item);
			return write(text === undefined ? 'null' : text.slice(0, budget));
		}
		if (depth > 32) return write('…');
		if (Array.isArray(item)) {
			if (!write('[')) return false;
			for (let i = 0; i < item.length; i++) {
				if (i > 0 && !write(',')) return false;
				if (!walk(item[i], depth + 1)) return false;
			}
			return write(']');
		}
		if (!write('{')) return false;
		let first = true;
		for (const [key, child] of Object.entries(item)) {
			if (!first && !write(',')) return false;
			first = false;
			if (!write(`${JSON.stringify(key.slice(0, budget))}:`)) return false;
			if (isSecretVariable(key) && child !== null && child !== undefined && child !== '') {
				if (!write(JSON.stringify(REDACTED))) return false;
			} else if (!walk(child, depth + 1)) return false;
		}
		return write('}');
	};
	walk(value, 0);
	return out;
}

/** The most of a summary a note takes: the arguments keep the rest. */
const MAX_NOTE_BYTES = 640;

/**
 * The call log's summary of a call: its arguments, then ` → ` and a note
 * (an error's message…), redacted — secret-looking keys and
 * credential-looking text (core's redactText) — and cut to
 * {@link MAX_SUMMARY_BYTES} bytes, the note keeping its share however big the
 * arguments are.
 */
export function summariseCall(args: unknown, note?: string): string {
	const noteText =
		note === undefined || note === ''
			? ''
			: truncateUtf8(
					redactText(` → ${note.slice(0, MAX_NOTE_BYTES + REDACTION_MARGIN)}`),
					MAX_NOTE_BYTES,
				);
	const argsBudget = MAX_SUMMARY_BYTES - Buffer.byteLength(noteText);
	const argsText = redactText(boundedJson(args, argsBudget + REDACTION_MARGIN));
	return `${truncateUtf8(argsText, argsBudget)}${noteText}`;
}

/** The canonical JSON of the arguments, for hashing; undefined arguments are `{}`. */
export function argsForHash(args: unknown): string {
	return canonicalJson(args === undefined ? {} : args);
}
