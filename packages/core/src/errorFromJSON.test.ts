import { describe, expect, it } from 'vitest';
import {
	type ErrorJSON,
	errorFromJSON,
	MAX_ERROR_HINT_CHARS,
	MAX_ERROR_ISSUES,
	MAX_ERROR_MESSAGE_CHARS,
	MAX_ISSUE_TEXT_CHARS,
} from './errorFromJSON.js';
import {
	AgentSpaceError,
	AuthError,
	ConfigError,
	ConflictError,
	ERROR_CODES,
	type ErrorCode,
	hasErrorCode,
	isAgentSpaceError,
	isAuthError,
	isConflictError,
	NotFoundError,
	PermissionDeniedError,
	ValidationError,
	VaultError,
} from './errors.js';

const CLASS_OF: Partial<Record<ErrorCode, new (message: string) => AgentSpaceError>> = {
	CONFIG_INVALID: ConfigError,
	VALIDATION_FAILED: ValidationError,
	NOT_FOUND: NotFoundError,
	CONFLICT: ConflictError,
	PERMISSION_DENIED: PermissionDeniedError,
	AUTH_FAILED: AuthError,
	VAULT_ERROR: VaultError,
};

/** What crosses the socket: the error's toJSON, through JSON text. */
function overTheWire(error: AgentSpaceError): ErrorJSON {
	return JSON.parse(JSON.stringify(error)) as ErrorJSON;
}

describe('errorFromJSON', () => {
	it.each(ERROR_CODES)('rebuilds an error with code %s, hint and issues intact', (code) => {
		const sent = new AgentSpaceError(`failed with ${code}`, {
			code,
			hint: 'do this next',
			issues: [{ path: 'a.b', message: 'wrong' }],
		});
		const rebuilt = errorFromJSON(overTheWire(sent));
		expect(isAgentSpaceError(rebuilt)).toBe(true);
		expect(rebuilt.code).toBe(code);
		expect(rebuilt.message).toBe(`failed with ${code}`);
		expect(rebuilt.hint).toBe('do this next');
		expect(rebuilt.issues).toEqual([{ path: 'a.b', message: 'wrong' }]);
		expect(rebuilt.toJSON()).toEqual(sent.toJSON());
		const Class = CLASS_OF[code];
		if (Class === undefined) expect(rebuilt.name).toBe('AgentSpaceError');
		else expect(rebuilt).toBeInstanceOf(Class);
	});

	it('rebuilds the subclass the code belongs to', () => {
		expect(errorFromJSON({ code: 'NOT_FOUND', message: 'x' })).toBeInstanceOf(NotFoundError);
		const auth = errorFromJSON({ code: 'AUTH_FAILED', message: 'wrong token' });
		expect(auth).toBeInstanceOf(AuthError);
		expect(isAuthError(auth)).toBe(true);
		expect(isConflictError(errorFromJSON({ code: 'CONFLICT', message: 'busy' }))).toBe(true);
	});

	it('leaves hint and issues out when the peer sent none', () => {
		const rebuilt = errorFromJSON({ code: 'CONFLICT', message: 'busy' });
		expect(rebuilt.hint).toBeUndefined();
		expect(rebuilt.issues).toEqual([]);
		expect(rebuilt.toJSON()).toEqual({ code: 'CONFLICT', message: 'busy' });
	});

	it('turns an unknown code into INTERNAL, naming the code in the message', () => {
		const rebuilt = errorFromJSON({ code: 'BRAND_NEW_CODE', message: 'from a newer daemon' });
		expect(rebuilt.code).toBe('INTERNAL');
		expect(rebuilt.message).toBe('from a newer daemon (unknown error code "BRAND_NEW_CODE")');
		expect(errorFromJSON({ code: 'toString', message: 'm' }).code).toBe('INTERNAL');
	});

	it('survives fields of the wrong type from a peer', () => {
		const garbage = { code: 42, message: { no: 1 }, hint: 7, issues: 'lots' } as unknown;
		const rebuilt = errorFromJSON(garbage as ErrorJSON);
		expect(rebuilt.code).toBe('INTERNAL');
		expect(rebuilt.message).toBe(
			'the error came without a message (unknown error code of type number)',
		);
		expect(rebuilt.hint).toBeUndefined();
		expect(rebuilt.issues).toEqual([]);
		const mixed = errorFromJSON({
			code: 'VALIDATION_FAILED',
			message: 'bad',
			issues: [null, { path: 1, message: 'x' }, { path: 'ok', message: 'kept' }] as never,
		});
		expect(mixed.issues).toEqual([{ path: 'ok', message: 'kept' }]);
	});

	it('bounds the message, the hint, the code it quotes and each issue', () => {
		const rebuilt = errorFromJSON({
			code: 'X'.repeat(10_000),
			message: 'm'.repeat(1_000_000),
			hint: 'h'.repeat(1_000_000),
			issues: [{ path: 'p'.repeat(100_000), message: 'i'.repeat(100_000) }],
		});
		expect(rebuilt.message.length).toBeLessThan(MAX_ERROR_MESSAGE_CHARS + 100);
		expect(rebuilt.message.startsWith(`${'m'.repeat(MAX_ERROR_MESSAGE_CHARS - 1)}…`)).toBe(true);
		expect(rebuilt.hint).toBe(`${'h'.repeat(MAX_ERROR_HINT_CHARS - 1)}…`);
		expect(rebuilt.issues[0]?.path.length).toBe(MAX_ISSUE_TEXT_CHARS);
		expect(rebuilt.issues[0]?.message.length).toBe(MAX_ISSUE_TEXT_CHARS);
	});

	it('never cuts a character in half', () => {
		const emoji = '😀'; // two UTF-16 units
		const rebuilt = errorFromJSON({ code: 'CONFLICT', message: `a${emoji.repeat(5000)}` });
		expect(rebuilt.message.endsWith(`${emoji}…`)).toBe(true);
		expect(rebuilt.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS);
	});

	it('keeps at most MAX_ERROR_ISSUES issues and says how many were left out', () => {
		const issues = Array.from({ length: 1000 }, (_, i) => ({ path: `f${i}`, message: 'bad' }));
		const rebuilt = errorFromJSON({ code: 'VALIDATION_FAILED', message: 'bad', issues });
		expect(rebuilt.issues.length).toBe(MAX_ERROR_ISSUES);
		expect(rebuilt.issues[MAX_ERROR_ISSUES - 2]).toEqual({
			path: `f${MAX_ERROR_ISSUES - 2}`,
			message: 'bad',
		});
		expect(rebuilt.issues.at(-1)).toEqual({
			path: '(more)',
			message: `${1000 - (MAX_ERROR_ISSUES - 1)} more issues not shown`,
		});
		const exactly = issues.slice(0, MAX_ERROR_ISSUES);
		expect(
			errorFromJSON({ code: 'VALIDATION_FAILED', message: 'bad', issues: exactly }).issues,
		).toEqual(exactly);
		expect(hasErrorCode(rebuilt, 'VALIDATION_FAILED')).toBe(true);
	});
});
