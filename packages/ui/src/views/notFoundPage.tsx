import type { FC } from 'hono/jsx';
import type { UiSession } from '../security/sessionStore.js';
import { Page } from './layout.js';

/** A page or agent that does not exist. */
export const NotFoundPage: FC<{ session: UiSession }> = ({ session }) => (
	<Page title="Not found" session={session} nav="agents">
		<h1>Not found</h1>
		<p class="lead">
			There is no such page or agent. <a href="/">Back to the agents</a>.
		</p>
	</Page>
);
