import { ValidationError } from '@agentspace/core';

/** The longest provider key accepted (real keys are under 200 characters). */
export const MAX_KEY_LENGTH = 4096;
/** The longest secret accepted, in UTF-8 bytes: it becomes an environment variable. */
export const MAX_SECRET_LENGTH = 65_536;

const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks a provider key: printable ASCII without spaces, as an HTTP header
 * carries it (a CR or LF would let a key inject headers). The message never
 * quotes the value.
 */
export function checkKeyValue(value: string): void {
	if (value.length === 0) {
		throw new ValidationError('the key is empty', {
			hint: 'paste the key at the prompt, or pipe it: printf %s "$KEY" | agentspace keys add <provider>',
		});
	}
	if (value.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
		throw new ValidationError(
			`the key is not a provider key (${value.length} characters; printable characters without spaces expected, at most ${MAX_KEY_LENGTH})`,
			{ hint: 'give the key alone, without quotes, spaces or a second line' },
		);
	}
}

/**
 * Checks a secret's value: 1 to 65,536 bytes (UTF-8) without a NUL — it
 * becomes an environment variable, which the kernel bounds in bytes (128 KiB
 * for one variable), so 65,536 four-byte characters would stop the run.
 * Newlines are kept (a PEM key has them).
 */
export function checkSecretValue(value: string): void {
	const bytes = Buffer.byteLength(value, 'utf8');
	if (bytes === 0 || bytes > MAX_SECRET_LENGTH || value.includes('\0')) {
		throw new ValidationError(
			`the secret's value must be 1-${MAX_SECRET_LENGTH} bytes without a NUL (got ${bytes} bytes)`,
			{
				hint: 'type it at the prompt, or pipe it: printf %s "$VALUE" | agentspace secrets set <name>',
			},
		);
	}
}

/** Checks a secret's name, as `secret:read:<name>` names it. */
export function checkSecretName(name: string): void {
	if (!SECRET_NAME.test(name)) {
		throw new ValidationError(`invalid secret name ${JSON.stringify(name.slice(0, 140))}`, {
			hint: 'use 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit, e.g. GITHUB_TOKEN',
		});
	}
}

/**
 * A base URL as stored: http(s), no credentials, no query or fragment, no
 * trailing slash (the endpoint appends the request's path to it).
 */
export function normaliseBaseUrl(text: string): string {
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	const hint =
		'give an http:// or https:// URL without a user, password, query or fragment, e.g. --base-url http://127.0.0.1:11434';
	if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new ValidationError(`invalid base URL ${JSON.stringify(text.slice(0, 200))}`, { hint });
	}
	if (url.username !== '' || url.password !== '') {
		// Not quoted: the user part may be a credential.
		throw new ValidationError('a base URL must not carry a user or password', { hint });
	}
	if (url.search !== '' || url.hash !== '' || text.length > 2048) {
		throw new ValidationError(`invalid base URL ${JSON.stringify(text.slice(0, 200))}`, { hint });
	}
	return url.href.replace(/\/+$/, '');
}
