import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @agentspace/db db:generate` writes a new migration into ./drizzle
// after a schema change. Migrations are committed and applied on open.
export default defineConfig({
	dialect: 'sqlite',
	schema: './src/schema/index.ts',
	out: './drizzle',
});
