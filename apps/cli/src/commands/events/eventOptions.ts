// The options of the events commands as commander parses them, in a leaf
// module: register.ts and the implementations both import it, never each other.

/** Filter options shared by `events list`, `count` and `tail`, as commander parses them. */
export interface EventFilterOptions {
	readonly project?: string;
	readonly type?: string[];
	readonly stream?: string;
	readonly since?: string;
	readonly until?: string;
	readonly after?: string;
	readonly before?: string;
}

/** Options of `events list`. */
export interface EventsListOptions extends EventFilterOptions {
	readonly limit: string;
	readonly order: 'asc' | 'desc';
}

/** Options of `events count`. */
export type EventsCountOptions = EventFilterOptions;

/** Options of `events tail`. */
export interface EventsTailOptions extends Omit<EventFilterOptions, 'until' | 'after' | 'before'> {
	readonly lines: string;
	readonly interval: string;
	readonly follow: boolean;
}
