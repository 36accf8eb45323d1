import { sql, type Kysely } from 'kysely';

/**
 * One version stamp per workspace for everything an SLA evaluation reads besides the ticket itself:
 * SLA policies, business-hours calendars, ticket statuses and the workspace time zone. Database
 * triggers set a fresh random stamp on any change to those rows, whichever module or node makes it,
 * so an in-memory copy of the settings is valid exactly as long as the stamp it was read with. The
 * stamp is random rather than a counter so that a rolled-back change can never hand its number to a
 * later, different change. Frozen in time: never import application code.
 */
const watched = ['sla_policies', 'business_calendars', 'ticket_statuses'];

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .createTable('sla_settings_versions')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'text', (c) => c.notNull())
    .execute();
  if (dialect === 'sqlite') {
    const bump = (workspace: string) => sql.raw(`INSERT OR REPLACE INTO sla_settings_versions (workspace_id, version) VALUES (${workspace}, lower(hex(randomblob(16))));`);
    for (const table of watched) {
      for (const [operation, row] of [['INSERT', 'NEW'], ['UPDATE', 'NEW'], ['DELETE', 'OLD']] as const) {
        await sql`CREATE TRIGGER ${sql.raw(`${table}_${operation.toLowerCase()}_sla_version`)} AFTER ${sql.raw(operation)} ON ${sql.table(table)} BEGIN ${bump(`${row}.workspace_id`)} END`.execute(db);
      }
    }
    await sql`CREATE TRIGGER workspaces_time_zone_sla_version AFTER UPDATE OF time_zone ON workspaces WHEN OLD.time_zone IS NOT NEW.time_zone BEGIN ${bump('NEW.id')} END`.execute(db);
    await sql`INSERT INTO sla_settings_versions (workspace_id, version) SELECT id, lower(hex(randomblob(16))) FROM workspaces`.execute(db);
    return;
  }
  await sql`
    CREATE FUNCTION sla_settings_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      workspace text;
    BEGIN
      IF TG_TABLE_NAME = 'workspaces' THEN
        workspace := NEW.id;
      ELSIF TG_OP = 'DELETE' THEN
        workspace := OLD.workspace_id;
      ELSE
        workspace := NEW.workspace_id;
      END IF;
      INSERT INTO sla_settings_versions (workspace_id, version) VALUES (workspace, gen_random_uuid()::text)
        ON CONFLICT (workspace_id) DO UPDATE SET version = excluded.version;
      RETURN NULL;
    END
    $$`.execute(db);
  for (const table of watched) {
    await sql`CREATE TRIGGER ${sql.raw(`${table}_sla_version`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)} FOR EACH ROW EXECUTE FUNCTION sla_settings_bump()`.execute(db);
  }
  await sql`CREATE TRIGGER workspaces_time_zone_sla_version AFTER UPDATE OF time_zone ON workspaces FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION sla_settings_bump()`.execute(db);
  await sql`INSERT INTO sla_settings_versions (workspace_id, version) SELECT id, gen_random_uuid()::text FROM workspaces`.execute(db);
}
