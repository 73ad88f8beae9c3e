import type { Command } from 'commander';
import type { CommandContext } from './context.js';

// What the command tree (program.ts, each register.ts) and the command
// implementations share, in a leaf module: they import it, never each other.

/** What an action returns: nothing for success, or the exit code to end with. */
// biome-ignore lint/suspicious/noConfusingVoidType: lets a successful action simply end, without `return undefined`
export type ActionResult = number | void;

/**
 * Runs `action` with the command's context. Registration modules stay cheap to
 * import: each action lazy-loads its implementation (and the heavy packages it
 * needs) only when that command actually runs (see {@link lazyAction}).
 */
export type RunAction = (
	command: Command,
	action: (ctx: CommandContext) => Promise<ActionResult>,
) => Promise<void>;

/**
 * What a command implementation looks like: the context, then what commander
 * parsed (`never[]` admits every implementation's own parameter types).
 */
type CommandImplementation = (ctx: CommandContext, ...args: never[]) => Promise<ActionResult>;

/** The names of `Module`'s exports that are command implementations. */
export type CommandExport<Module> = {
	[Name in keyof Module]: Module[Name] extends CommandImplementation ? Name : never;
}[keyof Module];

/**
 * A commander action that loads a command's implementation only when that
 * command runs, then calls export `name` with the context and what commander
 * parsed (its arguments, then its options):
 *
 *     .action(lazyAction(run, () => import('./agentsStop.js'), 'agentsStop'))
 *
 * The module is written once, and TypeScript checks it, the export's name and
 * that the export takes the context. `load` must be exactly
 * `() => import('./file.js')`: build.mjs makes each module imported that way
 * from a register.ts its own bundle and leaves the import to run time, so the
 * command tree, `--help` and `--version` load none of them (`--help` never
 * loads the database, `audit list` never loads Zod).
 */
export function lazyAction<Module, Name extends CommandExport<Module>>(
	run: RunAction,
	load: () => Promise<Module>,
	name: Name,
): (...args: unknown[]) => Promise<void> {
	// commander calls an action with the command's arguments, its options, then the Command.
	return (...args) =>
		run(args.at(-1) as Command, async (ctx) => {
			// What commander parsed is typed by the implementation, as the command declares it.
			const implementation = (await load())[name] as (
				ctx: CommandContext,
				...parsed: unknown[]
			) => Promise<ActionResult>;
			return implementation(ctx, ...args.slice(0, -1));
		});
}
