import { ActorSchema } from '@agentspace/events';
import { z } from 'zod';
import type { UiOpened } from '../hostedUi.js';
import { method } from '../methodTable.js';

/** The admin UI's methods: `agentspace ui` and `ui --close`. */
export const UI_METHODS = {
	ui: method<UiOpened>()(z.strictObject({ port: z.int().min(1).max(65_535), actor: ActorSchema })),
	uiClose: method<{ readonly closed: boolean }>()(z.strictObject({ actor: ActorSchema })),
};

/** The admin UI's part of `status`. */
export interface UiStatus {
	/** The web UI's address, when the daemon hosts one now. */
	readonly uiUrl: string | null;
}
