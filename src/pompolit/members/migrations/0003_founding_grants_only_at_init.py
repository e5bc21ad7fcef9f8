"""The database refuses founding grants once the group has begun, and any edit of a grant.

A founding grant (`pompolit init`) is refused for a member who is not a founder, and once any
member who is not a founder, any approval request or any approved grant exists; a grant row is never updated (revoking deletes it, granting again makes a new one with
its own approval). SQLite and PostgreSQL. Someone with DDL rights can drop triggers: that is
why access also checks each grant against its sealed record in the audit trail.
"""

from django.db import migrations

FOUNDING_LATE = "founding grants are made only by pompolit init, before anything else"
NO_UPDATE = "grants are never changed: revoke and grant again"

SQLITE = [
    f"""CREATE TRIGGER role_grant_founding_only_at_init BEFORE INSERT ON members_rolegrant
       WHEN NEW.founding AND (
           NOT EXISTS (SELECT 1 FROM members_member WHERE id = NEW.member_id AND is_founder)
           OR EXISTS (SELECT 1 FROM members_member WHERE NOT is_founder)
           OR EXISTS (SELECT 1 FROM members_approvalrequest)
           OR EXISTS (SELECT 1 FROM members_rolegrant WHERE NOT founding))
       BEGIN SELECT RAISE(ABORT, '{FOUNDING_LATE}'); END""",
    f"""CREATE TRIGGER role_grant_no_update BEFORE UPDATE ON members_rolegrant
       BEGIN SELECT RAISE(ABORT, '{NO_UPDATE}'); END""",
    f"""CREATE TRIGGER compartment_grant_no_update BEFORE UPDATE ON members_compartmentgrant
       BEGIN SELECT RAISE(ABORT, '{NO_UPDATE}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS role_grant_founding_only_at_init",
    "DROP TRIGGER IF EXISTS role_grant_no_update",
    "DROP TRIGGER IF EXISTS compartment_grant_no_update",
]
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION pompolit_founding_only_at_init() RETURNS trigger AS $$
       BEGIN
           IF NEW.founding AND (
               NOT EXISTS (SELECT 1 FROM members_member WHERE id = NEW.member_id AND is_founder)
               OR EXISTS (SELECT 1 FROM members_member WHERE NOT is_founder)
               OR EXISTS (SELECT 1 FROM members_approvalrequest)
               OR EXISTS (SELECT 1 FROM members_rolegrant WHERE NOT founding)) THEN
               RAISE EXCEPTION '{FOUNDING_LATE}';
           END IF;
           RETURN NEW;
       END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER role_grant_founding_only_at_init BEFORE INSERT ON members_rolegrant
       FOR EACH ROW EXECUTE FUNCTION pompolit_founding_only_at_init()""",
    f"""CREATE OR REPLACE FUNCTION pompolit_grant_no_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '{NO_UPDATE}'; END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER role_grant_no_update BEFORE UPDATE ON members_rolegrant
       FOR EACH ROW EXECUTE FUNCTION pompolit_grant_no_update()""",
    """CREATE TRIGGER compartment_grant_no_update BEFORE UPDATE ON members_compartmentgrant
       FOR EACH ROW EXECUTE FUNCTION pompolit_grant_no_update()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS role_grant_founding_only_at_init ON members_rolegrant",
    "DROP TRIGGER IF EXISTS role_grant_no_update ON members_rolegrant",
    "DROP TRIGGER IF EXISTS compartment_grant_no_update ON members_compartmentgrant",
    "DROP FUNCTION IF EXISTS pompolit_founding_only_at_init()",
    "DROP FUNCTION IF EXISTS pompolit_grant_no_update()",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0002_member_pseudonym_key")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
