-- The application's own role on a managed Postgres (RDS): run once after the first deploy, and
-- again after the application password changes, as the master user RDS created:
--
--   psql "host=ENDPOINT dbname=DB user=MASTER sslmode=verify-full sslrootcert=global-bundle.pem" \
--     -v app_user=django_tw -v app_password="$APP_PASSWORD" -v db_name=django_tw \
--     -f service/db/rds-app-role.sql
--
-- The master user is not a superuser on RDS (rds_superuser: CREATEROLE, CREATEDB), so this
-- needs nothing more. It makes the role if missing (LOGIN and nothing else: no SUPERUSER,
-- CREATEDB, CREATEROLE, REPLICATION), sets its password, and hands it the database and the
-- database's public schema (PostgreSQL 15+: owned by the database owner). Django's migrations
-- then run as that role. Safe to run again: every step checks first.
\set ON_ERROR_STOP on
\set QUIET on

-- psql variables do not reach inside a DO block: hand them over as session settings.
SELECT set_config('django_tw.app_user', :'app_user', false),
       set_config('django_tw.app_password', :'app_password', false),
       set_config('django_tw.db_name', :'db_name', false) \gset

DO $$
DECLARE
    app_user text := current_setting('django_tw.app_user');
    app_password text := current_setting('django_tw.app_password');
    db_name text := current_setting('django_tw.db_name');
    unsafe text;
BEGIN
    IF app_user IN ('postgres', 'rdsadmin', current_user) THEN
        RAISE EXCEPTION 'app_user % is an administrator; give the application its own role',
            app_user;
    END IF;
    IF length(app_password) < 32 THEN
        RAISE EXCEPTION 'app_password is shorter than 32 characters';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app_user) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', app_user);
    END IF;
    SELECT string_agg(attribute, ', ') INTO unsafe FROM pg_roles,
        LATERAL (VALUES ('SUPERUSER', rolsuper), ('CREATEDB', rolcreatedb),
                        ('CREATEROLE', rolcreaterole), ('REPLICATION', rolreplication),
                        ('BYPASSRLS', rolbypassrls)) AS granted(attribute, held)
        WHERE rolname = app_user AND held;
    IF unsafe IS NOT NULL THEN
        RAISE EXCEPTION 'role % holds %; the application role must hold none of them',
            app_user, unsafe;
    END IF;
    EXECUTE format('ALTER ROLE %I WITH LOGIN PASSWORD %L', app_user, app_password);
    -- Handing an object to a role needs membership in it (PostgreSQL 16+).
    IF NOT pg_has_role(current_user, app_user, 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', app_user, current_user);
    END IF;
    EXECUTE format('ALTER DATABASE %I OWNER TO %I', db_name, app_user);
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', db_name);
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', db_name, app_user);
END
$$;

SELECT set_config('django_tw.app_password', '', false) \gset
\echo application role :app_user owns database :db_name
