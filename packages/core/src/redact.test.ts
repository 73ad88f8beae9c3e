import { describe, expect, it } from 'vitest';
import { isSecretKey, isSecretVariable, REDACTED, redactSecrets, redactText } from './redact.js';

describe('isSecretKey', () => {
	it.each([
		'token',
		'authToken',
		'x-auth-token',
		'password',
		'DB_PASSWORD',
		'secret',
		'clientSecret',
		'apiKey',
		'API_KEY',
		'x-api-key',
		'private_key',
		'accessKey',
		'key',
		'cookie',
		'Set-Cookie',
		'authorization',
		'credentials',
		'githubtoken',
		'DBPASSWORD',
		'accesstoken',
		'x-api-key',
	])('%s is a secret key', (name) => {
		expect(isSecretKey(name)).toBe(true);
	});

	it.each([
		'project_key',
		'keychain',
		'monkey',
		'from',
		'to',
		'setting',
		'author',
		'subjectId',
		'keyboard',
	])('%s is not', (name) => {
		expect(isSecretKey(name)).toBe(false);
	});
});

describe('isSecretVariable', () => {
	it.each([
		'GITHUB_TOKEN',
		'OPENAI_API_KEY',
		'AWS_SECRET_ACCESS_KEY',
		'STRIPE_KEY',
		'SSH_KEY',
		'DB_PASSWORD',
		'PGPASSWORD',
		'SENTRY_DSN',
		'NPM_AUTH',
		'GH_PAT',
		'AGENTSPACE_SESSION_TOKEN',
		'AGENTSPACE_SECRET_DEPLOY',
		'COOKIE',
		'PRIVATE_CERT',
		'SLACK_WEBHOOK_URL',
		'DISCORD_WEBHOOK',
		'SLACKWEBHOOKURL',
		'AZURE_STORAGE_CONNECTION_STRING',
		'DB_CONN_STR',
		'DBCONNSTR',
		'PG_CONN',
		'POSTGRES_DSN',
		'JWT',
		'JWT_SIGNING',
		'JWKS_JSON',
		'SIGNING_SALT',
		'SALT',
		'WALLET_SEED',
		'BIP39_MNEMONIC',
		'AZURE_SAS',
		'HMAC_SHA256',
		'SESSION_ID',
		'SESSIONID',
		'RAILS_SESSION',
		'BEARER',
		'GOOGLE_APPLICATION_CREDENTIALS',
		'OAUTH_CLIENT',
		'TLS_CERT',
		'TLS_CERTIFICATE',
		'CLIENT_PEM',
		'SIGNING_P12',
		'ANDROID_KEYSTORE',
		'SSH_PRIVKEY',
		'CSRF',
		'TOTP',
		'SIM_PIN',
	])('%s names a secret', (name) => {
		expect(isSecretVariable(name)).toBe(true);
	});

	it.each([
		'HELLO_NAME',
		'ECHO_GREETING',
		'LANG',
		'TZ',
		'EDITOR',
		'HOME',
		'KEYBOARD_LAYOUT',
		'PATH',
		'DATABASE_URL',
		'GIT_AUTHOR_NAME',
		'SHELL',
		'NODE_ENV',
	])('%s does not', (name) => {
		expect(isSecretVariable(name)).toBe(false);
	});
});

describe('redactText', () => {
	it.each([
		[
			'sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345',
			'key sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345 end',
		],
		['ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'],
		['AKIAIOSFODNN7EXAMPLE', 'aws AKIAIOSFODNN7EXAMPLE'],
		['xoxb-1234567890-abcdefghij', 'slack xoxb-1234567890-abcdefghij'],
		[
			'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
			'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
		],
		['hunter2pass', 'https://bob:hunter2pass@example.com/x'],
		['abcdef123456', 'Authorization: Bearer abcdef123456'],
		['s3cr3t-value', 'PASSWORD=s3cr3t-value other=1'],
		['MIIEvQIBADANBg', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----'],
	])('removes %s', (secret, text) => {
		const out = redactText(text);
		expect(out).not.toContain(secret);
		expect(out).toContain(REDACTED);
	});

	it('keeps ordinary text, ids and hashes', () => {
		const text =
			'agent demo-1 built at commit 3f2a9c1 with hash e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
		expect(redactText(text)).toBe(text);
	});

	// A `token: …` pair whose value is an error code or a word for absence is a
	// message about a credential, not one: it stays readable.
	it.each([
		['auth-token: ERR ENOENT'],
		['cannot read auth-token: ENOENT: no such file or directory'],
		['token: ERR_INVALID_ARG_TYPE'],
		['GITHUB_TOKEN: missing'],
		['password: (none)'],
		['api_key: null, retrying'],
		['secret=undefined'],
		['Token: expired'],
		["session_token: 'invalid'"],
		['token=[REDACTED] already'],
		['token: EACCES'],
		['password: E2BIG'],
		['api_key=ERR_INVALID_ARG_VALUE'],
		['secret: ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG'],
	])('keeps %j', (text) => {
		expect(redactText(text)).toBe(text);
	});

	it.each([
		['password: hunter2', 'hunter2'],
		['PASSWORD=s3cr3t-value other=1', 's3cr3t-value'],
		['auth-token: 9f8e7d6c5b4a3f2e', '9f8e7d6c5b4a3f2e'],
		['token=enoent1', 'enoent1'],
		['token: Eabcdefgh9', 'Eabcdefgh9'],
		['api_key: "nonexistent-key"', 'nonexistent-key'],
		['secret: nothing-to-see', 'nothing-to-see'],
		['password=Null1', 'Null1'],
		// Starting with E or ERR makes no error code: only errno names and Node's
		// ERR_ codes (upper-case words, no digit, at most 48 characters) are kept.
		['token=E3B0C44298FC1C149AFBF4C8996FB924', 'E3B0C44298FC1C149AFBF4C8996FB924'],
		['GITHUB_TOKEN=EXJ2K4LMNOPQ2345', 'EXJ2K4LMNOPQ2345'],
		['password: EXAMPLEPASSWORD1', 'EXAMPLEPASSWORD1'],
		['api_key=ERR_ABCDEF0123456789', 'ERR_ABCDEF0123456789'],
		['secret: EXAMPLEPASSWORD', 'EXAMPLEPASSWORD'],
		['token: ENOENT1', 'ENOENT1'],
		['password=EACCESS', 'EACCESS'],
		['token: E2BIG9', 'E2BIG9'],
		['auth-token: ERRABCDEF123', 'ERRABCDEF123'],
		['access_key=ERR_ABC_', 'ERR_ABC_'],
		['token=ERR__ABC', 'ERR__ABC'],
		['api-key: ERR_abcdefgh', 'ERR_abcdefgh'],
		['secret=err_invalid_arg_type', 'err_invalid_arg_type'],
		['token=enoent', 'enoent'],
		['password: ERR_AB-CD', 'ERR_AB-CD'],
		[`token=ERR_${'QWERTYUIOPASDFGHJKLZXCVBNM'.repeat(2)}`, 'QWERTYUIOPASDFGHJKLZXCVBNM'],
		['x-auth-token: "E9F8E7D6C5B4A3F2E1D0"', 'E9F8E7D6C5B4A3F2E1D0'],
	])('still redacts %j', (text, secret) => {
		const out = redactText(text);
		expect(out).not.toContain(secret);
		expect(out).toContain(REDACTED);
	});

	it('removes exact secret values it is given', () => {
		expect(redactText('value=opaque-value-123 here', { secrets: ['opaque-value-123'] })).toBe(
			`value=${REDACTED} here`,
		);
	});
});

describe('redactSecrets', () => {
	it('redacts deeply by key and by value, without touching the input', () => {
		const input = {
			from: 'limited-control',
			apiKey: 'anything',
			nested: {
				headers: { authorization: 'Basic dXNlcjpwYXNz' },
				list: ['ok', 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'],
			},
			count: 3,
			empty: null,
		};
		const copy = structuredClone(input);
		expect(redactSecrets(input)).toEqual({
			from: 'limited-control',
			apiKey: REDACTED,
			nested: { headers: { authorization: REDACTED }, list: ['ok', REDACTED] },
			count: 3,
			empty: null,
		});
		expect(input).toEqual(copy);
	});

	it('cuts cycles', () => {
		const a: Record<string, unknown> = { name: 'a' };
		a.self = a;
		expect(redactSecrets(a)).toEqual({ name: 'a', self: '[Circular]' });
	});
});
