import { describe, expect, it } from 'vitest';
import {
	AgentSpaceError,
	AuthError,
	ConfigError,
	ConflictError,
	ERROR_CODES,
	hasErrorCode,
	isAgentSpaceError,
	isAuthError,
	isConfigError,
	isConflictError,
	isErrorCode,
	isNotFoundError,
	isPermissionDeniedError,
	isValidationError,
	isVaultError,
	NotFoundError,
	PermissionDeniedError,
	ValidationError,
	VaultError,
} from './errors.js';

describe('errors', () => {
	it.each([
		[ConfigError, 'CONFIG_INVALID', isConfigError],
		[ValidationError, 'VALIDATION_FAILED', isValidationError],
		[NotFoundError, 'NOT_FOUND', isNotFoundError],
		[ConflictError, 'CONFLICT', isConflictError],
		[PermissionDeniedError, 'PERMISSION_DENIED', isPermissionDeniedError],
		[AuthError, 'AUTH_FAILED', isAuthError],
		[VaultError, 'VAULT_ERROR', isVaultError],
	] as const)('%o carries code %s and is recognised by its guard only', (Ctor, code, guard) => {
		const error = new Ctor('boom', { hint: 'do this next' });
		expect(error).toBeInstanceOf(AgentSpaceError);
		expect(error.code).toBe(code);
		expect(error.hint).toBe('do this next');
		expect(error.name).toBe(Ctor.name);
		expect(guard(error)).toBe(true);
		expect(isAgentSpaceError(error)).toBe(true);
		expect(hasErrorCode(error, code)).toBe(true);
		const others = [
			isConfigError,
			isValidationError,
			isNotFoundError,
			isConflictError,
			isPermissionDeniedError,
			isAuthError,
			isVaultError,
		];
		expect(others.filter((g) => g !== guard).some((g) => g(error))).toBe(false);
	});

	it('lets a subclass carry a more specific code, recognised by that code', () => {
		const error = new ConflictError('newer schema', { code: 'DB_SCHEMA_TOO_NEW' });
		expect(hasErrorCode(error, 'DB_SCHEMA_TOO_NEW')).toBe(true);
		// The guards read the code, not the class: this is a newer schema, not a plain conflict.
		expect(isConflictError(error)).toBe(false);
	});

	it.each([
		['CONFIG_INVALID', isConfigError],
		['VALIDATION_FAILED', isValidationError],
		['NOT_FOUND', isNotFoundError],
		['CONFLICT', isConflictError],
		['PERMISSION_DENIED', isPermissionDeniedError],
		['AUTH_FAILED', isAuthError],
		['VAULT_ERROR', isVaultError],
	] as const)('recognises a bare AgentSpaceError with code %s by its guard', (code, guard) => {
		// As runDaemon and daemonLock throw CONFLICT, and the daemon client rebuilds answers.
		const bare = new AgentSpaceError('bare', { code });
		expect(guard(bare)).toBe(true);
		for (const other of ERROR_CODES.filter((c) => c !== code)) {
			expect(guard(new AgentSpaceError('other', { code: other }))).toBe(false);
		}
	});

	it('lists every code at run time, each once', () => {
		expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
		expect(ERROR_CODES).toContain('INTERNAL');
		expect(ERROR_CODES.every((code) => isErrorCode(code))).toBe(true);
		expect(isErrorCode('NOT_A_CODE')).toBe(false);
		expect(isErrorCode(3)).toBe(false);
		expect(isErrorCode('toString')).toBe(false);
	});

	it('serialises code, message, hint and issues for --json', () => {
		const error = new ValidationError('bad', {
			hint: 'fix',
			issues: [{ path: 'a.b', message: 'wrong' }],
		});
		expect(JSON.parse(JSON.stringify(error))).toEqual({
			code: 'VALIDATION_FAILED',
			message: 'bad',
			hint: 'fix',
			issues: [{ path: 'a.b', message: 'wrong' }],
		});
	});

	it('recognises errors thrown by another copy of the package', async () => {
		// A second module instance, as a bundle or a duplicated install would hold.
		const url = new URL('../dist/errors.js', import.meta.url);
		url.search = '?copy=2';
		const other = (await import(url.href)) as typeof import('./errors.js');
		expect(other.ConfigError).not.toBe(ConfigError);
		const foreign = new other.ConfigError('from the other copy');
		expect(foreign).not.toBeInstanceOf(AgentSpaceError);
		expect(isAgentSpaceError(foreign)).toBe(true);
		expect(isConfigError(foreign)).toBe(true);
		expect(isVaultError(foreign)).toBe(false);
	});

	it('does not mistake plain errors for AgentSpace errors', () => {
		expect(isAgentSpaceError(new Error('x'))).toBe(false);
		expect(hasErrorCode(new Error('x'), 'INTERNAL')).toBe(false);
	});
});
