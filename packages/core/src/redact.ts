import { constants as osConstants } from 'node:os';

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

// Whole words (after splitting camelCase, snake_case and kebab-case) that mark a
// secret but are too short or common to match inside other words; the longer
// markers are in SECRET_FRAGMENTS below. `key` is handled on its own so that
// `apiKey` or `API_KEY` match while `project_key` or `keychain` do not.
const SECRET_WORDS = new Set(['pwd', 'bearer', 'signature']);
const SECRET_KEY_QUALIFIERS = new Set([
	'api',
	'access',
	'private',
	'secret',
	'signing',
	'encryption',
	'auth',
	'session',
	'client',
	'master',
]);

// Fragments that mark a secret even inside a run-together name (`githubtoken`,
// `DBPASSWORD`). A false positive only hides a value; a false negative leaks one.
const SECRET_FRAGMENTS = [
	'token',
	'passw',
	'passphrase',
	'secret',
	'cookie',
	'credential',
	'authorization',
	'apikey',
	'privatekey',
];

/** True when a field name says its value is a secret (`token`, `apiKey`, `githubtoken`, `key`…). */
export function isSecretKey(name: string): boolean {
	const lower = name.toLowerCase();
	if (SECRET_FRAGMENTS.some((fragment) => lower.includes(fragment))) return true;
	const words = name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter((word) => word !== '');
	if (words.length === 1 && words[0] === 'key') return true;
	for (let i = 0; i < words.length; i++) {
		const word = words[i] as string;
		if (SECRET_WORDS.has(word)) return true;
		if (word === 'key' && i > 0 && SECRET_KEY_QUALIFIERS.has(words[i - 1] as string)) return true;
	}
	return false;
}

// Words in an environment variable's name that mark its value as a secret on
// top of isSecretKey's: in a variable name a bare `KEY` (`STRIPE_KEY`,
// `SSH_KEY`) or `AUTH` is a credential far more often than in a JSON field,
// and a webhook URL, a connection string or a signing salt is one too. A false
// positive only hides a value in a run's log; a false negative leaks one.
const SECRET_VARIABLE_WORDS = new Set([
	'key',
	'keys',
	'auth',
	'pass',
	'pat',
	'pin',
	'otp',
	'totp',
	'dsn',
	'conn',
	'connstr',
	'connection',
	'connections',
	'webhook',
	'webhooks',
	'hook',
	'jwt',
	'jwk',
	'jwks',
	'signing',
	'salt',
	'seed',
	'mnemonic',
	'sas',
	'hmac',
	'nonce',
	'csrf',
	'xsrf',
	'session',
	'sid',
	'private',
	'credentials',
	'creds',
	'cert',
	'certs',
	'certificate',
	'pem',
	'pfx',
	'p12',
	'keystore',
	'sig',
]);

// Fragments that mark a secret inside a run-together variable name
// (`SLACKWEBHOOKURL`, `DBCONNSTR`, `SESSIONID`) on top of isSecretKey's.
const SECRET_VARIABLE_FRAGMENTS = [
	'webhook',
	'connstr',
	'connectionstring',
	'jwt',
	'mnemonic',
	'hmac',
	'bearer',
	'oauth',
	'session',
	'privkey',
	'keystore',
];

/**
 * True when an environment variable's name says its value is a secret
 * (`GITHUB_TOKEN`, `OPENAI_API_KEY`, `STRIPE_KEY`, `DB_PASSWORD`, `SENTRY_DSN`,
 * `SLACK_WEBHOOK_URL`, `AZURE_STORAGE_CONNECTION_STRING`, `JWT`, `SESSION_ID`…),
 * false for names like `HELLO_NAME`, `LANG` or `EDITOR`. A run's log shows an
 * approved variable's value only when its name is not one of these and the
 * value looks like plain text (specs/permissions.md).
 */
export function isSecretVariable(name: string): boolean {
	if (isSecretKey(name)) return true;
	const lower = name.toLowerCase();
	if (SECRET_VARIABLE_FRAGMENTS.some((fragment) => lower.includes(fragment))) return true;
	return name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.some((word) => SECRET_VARIABLE_WORDS.has(word));
}

// Values that are credentials whatever field they are in. Each pattern is
// anchored on a distinctive prefix or shape to keep false positives rare.
const CREDENTIAL_PATTERNS: readonly RegExp[] = [
	/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
	/\b(?:sk|pk|rk)-(?:[a-z]+-)?[A-Za-z0-9_-]{20,}/g, // OpenAI / Anthropic / Stripe style
	/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/g, // GitHub tokens
	/\bgithub_pat_[A-Za-z0-9_]{30,}/g,
	/\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
	/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
	/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key id
	/\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
	/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
];
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;
const ASSIGNMENT =
	/\b([A-Za-z0-9_.-]*(?:token|secret|password|passwd|api[_-]?key|access[_-]?key)[A-Za-z0-9_]*\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"']+)/gi;
// What follows `token:` in a message when no credential is there: an error
// code (`auth-token: ENOENT`, `token: ERR_INVALID_ARG_TYPE`) or a word for
// absence. Kept, so that a message still says what went wrong; anything else
// is redacted. An error code is only a real errno name (os.constants.errno:
// ENOENT, EACCES, E2BIG…) or the shape of Node's own codes — `ERR_` and upper-
// case words, no digit, at most 48 characters — never merely a value starting
// with `E` or `ERR`: `token=E3B0C44298FC1C149AFBF4C8996FB924` is a credential.
const ERRNO_NAMES: ReadonlySet<string> = new Set(Object.keys(osConstants.errno));
const NODE_ERROR_CODE = /^ERR_[A-Z]+(?:_[A-Z]+)*$/;
const NODE_ERROR_CODE_MAX = 48;
const ABSENCE_WORDS =
	/^(?:null|undefined|none|nil|missing|unset|empty|not|no|n\/a|invalid|expired|required|revoked|true|false|\[REDACTED\])$/i;

/** True when `value` is an errno name or one of Node's `ERR_…` codes (exactly, upper case). */
function isErrorCode(value: string): boolean {
	// `ERR` alone: `auth-token: ERR ENOENT`, where the code follows.
	if (value === 'ERR' || ERRNO_NAMES.has(value)) return true;
	return value.length <= NODE_ERROR_CODE_MAX && NODE_ERROR_CODE.test(value);
}

/** True when the value of a `token: …` / `secret=…` pair is no credential (an error code, `none`…). */
function isNotACredential(value: string): boolean {
	// Quotes and brackets around it, punctuation after it (`ENOENT: no such file`).
	const bare = value.replace(/^["'(<]+|[">)':.!?]+$/g, '');
	if (bare === '') return true;
	return isErrorCode(bare) || ABSENCE_WORDS.test(bare);
}

// Matches wherever any pattern above could match (a superset of them all):
// text without any of these needs no further work. Keep it in step with them.
const MAY_HOLD_CREDENTIAL =
	/BEGIN|[spr]k-|gh[pousr]_|github_pat_|glpat-|xox|AKIA|ASIA|AIza|eyJ|bearer|basic|token|secret|passw|api[_-]?key|access[_-]?key|:\/\/\S*@/i;

/** Options for {@link redactSecrets} and {@link redactText}. */
export interface RedactOptions {
	/**
	 * Exact secret values to remove wherever they appear (e.g. the auth token or
	 * the secrets injected into a run). Values shorter than 6 characters are
	 * ignored: replacing them would shred ordinary text.
	 */
	readonly secrets?: readonly string[];
}

/** Replaces credential-looking substrings of `text` (tokens, keys, passwords in URLs…) with {@link REDACTED}. */
export function redactText(text: string, options: RedactOptions = {}): string {
	let out = text;
	for (const secret of options.secrets ?? []) {
		// includes() first: most text holds no secret, and split() allocates.
		if (secret.length >= 6 && out.includes(secret)) out = out.split(secret).join(REDACTED);
	}
	// Most text holds nothing that could start a credential: one test instead of twelve.
	if (!MAY_HOLD_CREDENTIAL.test(out)) return out;
	for (const pattern of CREDENTIAL_PATTERNS) out = out.replace(pattern, REDACTED);
	out = out.replace(BEARER, `$1 ${REDACTED}`);
	out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
	out = out.replace(ASSIGNMENT, (match, name: string, value: string) =>
		isNotACredential(value) ? match : `${name}${REDACTED}`,
	);
	return out;
}

/**
 * A deep copy of `value` with secrets removed: values under secret-looking keys
 * become {@link REDACTED}, and credential-looking substrings of every string are
 * replaced. Cycles are cut rather than followed.
 */
export function redactSecrets<T>(value: T, options: RedactOptions = {}): T {
	return redactValue(value, options, new WeakSet()) as T;
}

function redactValue(value: unknown, options: RedactOptions, seen: WeakSet<object>): unknown {
	if (typeof value === 'string') return redactText(value, options);
	if (value === null || typeof value !== 'object') return value;
	// Errors and dates have no enumerable fields; keep what a reader needs.
	if (value instanceof Error) {
		const code = (value as NodeJS.ErrnoException).code;
		return {
			name: value.name,
			message: redactText(value.message, options),
			...(code === undefined ? {} : { code }),
		};
	}
	if (value instanceof Date) return value.toISOString();
	if (seen.has(value)) return '[Circular]';
	seen.add(value);
	if (Array.isArray(value)) return value.map((item) => redactValue(item, options, seen));
	const out: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value)) {
		out[key] =
			isSecretKey(key) && item !== null && item !== undefined && item !== ''
				? REDACTED
				: redactValue(item, options, seen);
	}
	return out;
}
