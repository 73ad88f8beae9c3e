import { redactSecrets, redactText } from './redact.js';

/** Log levels, most to least verbose; `silent` turns logging off. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVEL_RANK: Record<LogLevel, number> = {
	debug: 10,
	info: 20,
	warn: 30,
	error: 40,
	silent: 99,
};

/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A named logger writing one line per call. */
export interface Logger {
	readonly name: string;
	readonly level: LogLevel;
	debug(message: string, fields?: LogFields): void;
	info(message: string, fields?: LogFields): void;
	warn(message: string, fields?: LogFields): void;
	error(message: string, fields?: LogFields): void;
	/**
	 * True when a line at `level` would be written: for output that is not a
	 * log line but follows the same level (the CLI's error and note lines), and
	 * to skip building fields nobody will see.
	 */
	enabled(level: Exclude<LogLevel, 'silent'>): boolean;
	/** A logger named `<name>:<child>` with the same level and sink. */
	child(name: string): Logger;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
	/** Minimum level; defaults to `AGENTSPACE_LOG`, else `warn`. */
	readonly level?: LogLevel;
	/** Where lines go; defaults to stderr, so stdout stays clean for command output. */
	readonly write?: (line: string) => void;
	/** The environment to read `AGENTSPACE_LOG` from; defaults to `process.env`. */
	readonly env?: Readonly<Record<string, string | undefined>>;
}

/** True when `value` names a log level. */
export function isLogLevel(value: unknown): value is LogLevel {
	return typeof value === 'string' && Object.hasOwn(LEVEL_RANK, value);
}

/**
 * A logger that writes one JSON object per line (`time`, `level`, `name`, `msg`,
 * then the fields), so logs can be both read and parsed. Messages and fields
 * are redacted (see `redactSecrets`).
 */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
	const envLevel = (options.env ?? process.env).AGENTSPACE_LOG?.toLowerCase();
	const level: LogLevel = options.level ?? (isLogLevel(envLevel) ? envLevel : 'warn');
	const write = options.write ?? ((line: string) => process.stderr.write(line));
	const threshold = LEVEL_RANK[level];

	const enabled = (lineLevel: Exclude<LogLevel, 'silent'>) => LEVEL_RANK[lineLevel] >= threshold;
	const emit = (lineLevel: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields) => {
		if (!enabled(lineLevel)) return;
		// Logs reach files and terminals: secrets are removed before they are written.
		const record = {
			time: new Date().toISOString(),
			level: lineLevel,
			name,
			msg: redactText(message),
			...redactSecrets(fields ?? {}),
		};
		write(`${JSON.stringify(record)}\n`);
	};

	return {
		name,
		level,
		debug: (message, fields) => emit('debug', message, fields),
		info: (message, fields) => emit('info', message, fields),
		warn: (message, fields) => emit('warn', message, fields),
		error: (message, fields) => emit('error', message, fields),
		enabled,
		child: (childName) => createLogger(`${name}:${childName}`, { ...options, level }),
	};
}
