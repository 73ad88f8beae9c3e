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
 * needs) only when that command actually runs.
 */
export type RunAction = (
	command: Command,
	action: (ctx: CommandContext) => Promise<ActionResult>,
) => Promise<void>;

/**
 * Loads a command's implementation at run time. Each implementation is its own
 * bundle (see build.mjs), so a command loads only what it uses: `--help` never
 * loads the database, `audit list` never loads Zod. `path` is relative to
 * `dist/` and must be a string literal (build.mjs collects them as entries).
 */
export async function loadCommand<Module>(path: string): Promise<Module> {
	return (await import(new URL(path, import.meta.url).href)) as Module;
}
